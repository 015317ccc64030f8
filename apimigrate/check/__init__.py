"""`apimigrate check` and `apimigrate fix`: the resolver over files and folders."""
from .fixer import fix_source
from .runner import FileResult, check_file, fix_file, iter_files, run_files
from .walk import iter_python_files

__all__ = ["FileResult", "check_file", "fix_file", "fix_source", "iter_files", "iter_python_files", "run_files"]
