"""Evidence about a use, a result or another API does not deprecate the API it sits in.

Each snippet is cut from the installed numpy 2.4 / pandas 3.1 / scipy 1.17 source, where the
extractor used to report the enclosing function or method as deprecated (and `apimigrate
check` then flagged every call of `np.broadcast_arrays`, `df.fillna`, `linprog`...).
"""
from __future__ import annotations

import textwrap

from apimigrate.scan.python_source import extract_python


def findings(code: str, module: str = "pkg.mod"):
    result = extract_python(textwrap.dedent(code).encode(), "pkg/mod.py", module)
    assert result.error is None
    return [(f.kind, f.target, f.parameter, tuple(f.usage or ()), tuple(f.values or ())) for f in result.findings]


def test_a_directive_under_a_returns_entry_is_about_the_result() -> None:
    # numpy/lib/_stride_tricks_impl.py
    assert findings('''
        def broadcast_arrays(*args, subok=False):
            """
            Broadcast any number of arrays against each other.

            Returns
            -------
            broadcasted : tuple of arrays
                These arrays are views on the original arrays.

                .. deprecated:: 1.17
                    The output is currently marked so that if written to, a deprecation
                    warning will be emitted. A future version will set the
                    ``writable`` flag False so writing to it will raise an error.

            See Also
            --------
            broadcast
            """
        ''') == []


def test_parameter_directives_count_and_a_returned_value_directive_does_not() -> None:
    # scipy/linalg/_matfuncs.py sqrtm
    assert findings('''
        def sqrtm(A, disp=_NoValue, blocksize=_NoValue):
            """
            Parameters
            ----------
            A : ndarray
                Input.
            disp : bool, optional
                Print warning.

                .. deprecated:: 1.16.0
                    The `disp` argument is deprecated and will be
                    removed in SciPy 1.18.0.

            Returns
            -------
            sqrtm : ndarray
                Computed matrix squareroot.
            errest : float
                Only returned if ``disp`` is set to ``False``.

                .. deprecated:: 1.16.0
            """
        ''') == [("parameter", "sqrtm", "disp", ("any",), ())]


def test_a_directive_deprecating_a_notation_is_about_that_use() -> None:
    # pandas/core/groupby/groupby.py: calling g.nth(n) is the replacement, not deprecated.
    assert findings('''
        class GroupBy:
            @property
            def nth(self):
                """
                Take the nth row from each group.

                .. deprecated:: 3.1.0

                    Index notation (``g.nth[n]``) is deprecated in favor of calling
                    ``g.nth(n)`` and will be removed in a future version of pandas.
                """
        ''') == []


def test_a_directive_about_one_case_of_a_property_is_about_that_use() -> None:
    # pandas 3.0 pandas/core/series.py: `.values` stays; for three dtypes its result changes.
    code = '''
        class Series:
            @property
            def values(self):
                """
                Return Series as ndarray.

                .. deprecated:: 3.0.0
                    For :class:`DatetimeTZDtype`, :class:`PeriodDtype`, and
                    :class:`IntervalDtype` dtypes, the behavior of ``.values`` returning
                    a lossy or object-dtype result is deprecated. In a future version,
                    ``.values`` will return the underlying ExtensionArray.
                """
        '''
    assert findings(code) == []
    # A case is not a reason: "For consistency with numpy, ..." still deprecates the API.
    assert [f[:2] for f in findings(code.replace(
        "For :class:`DatetimeTZDtype`, :class:`PeriodDtype`, and\n                    :class:`IntervalDtype` dtypes, "
        "the behavior of ``.values`` returning\n                    a lossy or object-dtype result is deprecated.",
        "For consistency with numpy, this property is deprecated."))] == [("attribute", "Series.values")]


def test_a_warning_naming_another_class_method_of_the_same_name() -> None:
    # pandas/core/internals/blocks.py: a contract for third-party ExtensionArrays.
    assert findings('''
        import warnings

        class ExtensionBlock(EABackedBlock):
            def fillna(self, value, limit=None, inplace=False):
                if self._can_hold_na and not self.values._hasna:
                    refs = self.refs
                else:
                    try:
                        new_values = self.values.fillna(value=value, limit=limit, copy=copy)
                    except TypeError:
                        new_values = self.values.fillna(value=value, limit=limit)
                        warnings.warn(
                            "ExtensionArray.fillna added a 'copy' keyword in pandas "
                            "2.1.0. In a future version, ExtensionArray subclasses will "
                            "need to implement this keyword or an exception will be "
                            "raised. In the interim, the keyword is ignored by "
                            f"{type(self.values).__name__}.",
                            Pandas4Warning,
                        )
        ''') == []


def test_a_guarded_warning_that_names_the_function_without_deprecating_it() -> None:
    # scipy/linalg/_special_matrices.py: a behaviour change for some inputs.
    code = '''
        import warnings

        def hankel(c, r=None):
            c = np.asarray(c)
            if c.ndim > 1 or r.ndim > 1:
                msg = ("Beginning in SciPy 1.19, multidimensional input will be treated as a "
                       "batch, not `ravel`ed. To preserve the existing behavior and silence "
                       "this warning, `ravel` arguments before passing them to `hankel`.")
                warnings.warn(msg, FutureWarning, stacklevel=2)
        '''
    assert findings(code) == []
    # The same guard with a message that deprecates the function still counts.
    deprecating = code.replace("Beginning in SciPy 1.19", "`hankel` is deprecated")
    assert [f[:2] for f in findings(deprecating)] == [("function", "hankel")]


def test_a_warning_looping_over_deprecated_keywords() -> None:
    # pandas/core/generic.py convert_dtypes: the keyword's name is filled in at run time.
    assert findings('''
        import warnings

        class NDFrame:
            def convert_dtypes(self, infer_objects=lib.no_default, convert_string=lib.no_default):
                deprecated_args = {"infer_objects": infer_objects, "convert_string": convert_string}
                for arg_name, arg_val in deprecated_args.items():
                    if arg_val is not lib.no_default:
                        warnings.warn(
                            f"The {arg_name} keyword in {type(self).__name__}."
                            f"convert_dtypes is deprecated and will be removed in a "
                            f"future version.",
                            Pandas4Warning,
                        )
        ''') == []


def test_a_value_filled_in_at_run_time_is_a_parameter_use_with_no_known_value() -> None:
    # scipy/optimize/_linprog.py: `method` values other than the HiGHS ones.
    assert findings('''
        from warnings import warn

        def linprog(c, A_ub=None, method='highs', callback=None):
            meth = method.lower()
            if meth.startswith('highs'):
                return _linprog_highs(c)
            warn(f"`method='{meth}'` is deprecated and will be removed in SciPy "
                 "1.11.0. Please use one of the HiGHS solvers (e.g. "
                 "`method='highs'`) in new code.", DeprecationWarning, stacklevel=2)
        ''') == [("parameter", "linprog", "method", ("other",), ())]


def test_a_method_of_another_class_named_in_the_message_is_not_this_one() -> None:
    code = '''
        import warnings

        class Block:
            def take(self, indexer, allow_fill=None):
                if not self.is_extension:
                    warnings.warn("ExtensionArray.take is deprecated for this block.", FutureWarning)
        '''
    assert findings(code) == []
    assert [f[:2] for f in findings(code.replace("ExtensionArray.take", "Block.take"))] == [("method", "Block.take")]


# ---- cut from older releases (pandas 2.1.4 / 2.2.3, numpy 1.26.4, scikit-learn 1.5.2 wheels), the
# versions `scan --since` reads: there each used to make a whole API deprecated.

def test_a_guarded_warning_opening_on_an_action_is_about_that_use() -> None:
    # pandas/core/indexes/period.py (2.2.3): `PeriodIndex(...)` itself is not deprecated.
    assert findings('''
        import warnings

        class PeriodIndex(DatetimeIndexOpsMixin):
            def __new__(cls, data=None, ordinal=None, freq=None, dtype=None, copy=False, name=None, **fields):
                valid_field_set = {"year", "month", "day"}
                if not set(fields).issubset(valid_field_set):
                    raise TypeError("unexpected keyword")
                elif len(fields):
                    # GH#55960
                    warnings.warn(
                        "Constructing PeriodIndex from fields is deprecated. Use "
                        "PeriodIndex.from_fields instead.",
                        FutureWarning,
                        stacklevel=find_stack_level(),
                    )
                return cls._simple_new(data, name=name)
        ''') == []
    # pandas/core/internals/blocks.py (2.2.3): every `.replace(...)` is not deprecated.
    assert findings('''
        import warnings

        class Block:
            def replace(self, to_replace, value, inplace=False, mask=None):
                blocks = blk.convert(copy=False)
                if len(blocks) > 1 or blocks[0].dtype != blk.dtype:
                    warnings.warn(
                        # GH#54710
                        "Downcasting behavior in `replace` is deprecated and "
                        "will be removed in a future version. To retain the old "
                        "behavior, explicitly call result.infer_objects(copy=False). ",
                        FutureWarning,
                        stacklevel=find_stack_level(),
                    )
                return blocks
        ''') == []


def test_a_guarded_warning_naming_the_api_with_a_qualification_is_about_that_use() -> None:
    # pandas/core/generic.py (2.2.3) and pandas/core/algorithms.py (2.2.3)
    assert findings('''
        import warnings

        class NDFrame:
            def interpolate(self, method="linear", *, axis=0, limit=None, downcast=lib.no_default, **kwargs):
                obj, should_transpose = (self.T, True) if axis == 1 else (self, False)
                if np.any(obj.dtypes == object):
                    # GH#53631
                    if not (obj.ndim == 2 and np.all(obj.dtypes == object)):
                        warnings.warn(
                            f"{type(self).__name__}.interpolate with object dtype is "
                            "deprecated and will raise in a future version. Call "
                            "obj.infer_objects(copy=False) before interpolating instead.",
                            FutureWarning,
                            stacklevel=find_stack_level(),
                        )
                return obj

        def take(arr, indices, axis=0, allow_fill=False, fill_value=None):
            if not isinstance(arr, (np.ndarray, ABCExtensionArray, ABCIndex, ABCSeries)):
                # GH#52981
                warnings.warn(
                    "pd.api.extensions.take accepting non-standard inputs is deprecated "
                    "and will raise in a future version. Pass either a numpy.ndarray, "
                    "ExtensionArray, Index, or Series instead.",
                    FutureWarning,
                    stacklevel=find_stack_level(),
                )
            return arr
        ''') == []


def test_a_warning_in_an_except_handler_is_about_the_input() -> None:
    # numpy/core/records.py (1.26.4)
    assert findings('''
        import warnings

        def fromrecords(recList, dtype=None, shape=None, formats=None, names=None):
            try:
                retval = sb.array(recList, dtype=descr)
            except (TypeError, ValueError):
                _array = recarray(shape, descr)
                # list of lists instead of list of tuples ?
                # 2018-02-07, 1.14.1
                warnings.warn(
                    "fromrecords expected a list of tuples, may have received a list "
                    "of lists instead. In the future that will raise an error",
                    FutureWarning, stacklevel=2)
                return _array
            return retval
        ''') == []


def test_a_directive_opening_on_an_action_or_inside_a_note_is_not_the_api() -> None:
    # pandas/core/indexing.py (2.2.3): every `.iloc[...]` is not deprecated.
    assert findings('''
        class IndexingMixin:
            @property
            def iloc(self) -> _iLocIndexer:
                """
                Purely integer-location based indexing for selection by position.

                .. deprecated:: 2.2.0

                   Returning a tuple from a callable is deprecated.

                ``.iloc[]`` is primarily integer position based.
                """
                return _iLocIndexer("iloc", self)
        ''') == []
    # numpy/core/fromnumeric.py (1.26.4): every `np.nonzero(...)` is not deprecated.
    assert findings('''
        def nonzero(a):
            """
            Return the indices of the elements that are non-zero.

            .. note::

               When called on a zero-d array or scalar, ``nonzero(a)`` is treated
               as ``nonzero(atleast_1d(a))``.

               .. deprecated:: 1.17.0

                  Use `atleast_1d` explicitly if this behavior is deliberate.

            Parameters
            ----------
            a : array_like
                Input array.
            """
            return _wrapfunc(a, 'nonzero')
        ''') == []
    # The action test does not hide a directive that says the API itself goes.
    assert findings('''
        def old(a):
            """
            .. deprecated:: 1.2
               Calling this function is deprecated; use `new`.
            """
        ''') == [("function", "old", None, (), ())]


def test_a_directive_under_an_attribute_description_is_about_the_attribute() -> None:
    # sklearn/linear_model/_passive_aggressive.py (1.5.2): the directive is indented deeper than the
    # description line above it; `PassiveAggressiveClassifier(...)` is not deprecated.
    assert findings('''
        class PassiveAggressiveClassifier(BaseSGDClassifier):
            """Passive Aggressive Classifier.

            Attributes
            ----------
            t_ : int
                Number of weight updates performed during training.

            loss_function_ : callable
                Loss function used by the algorithm.

                 .. deprecated:: 1.4
                    Attribute `loss_function_` was deprecated in version 1.4 and will be
                    removed in 1.6.

            See Also
            --------
            SGDClassifier : Incrementally trained logistic regression.
            """
        ''') == [("attribute", "PassiveAggressiveClassifier.loss_function_", None, (), ())]
