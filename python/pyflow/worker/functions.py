"""The user function of a STAGE, in whichever form the engine sent it: cloudpickled (from a Python
driver, or bytes a C# host made with cloudpickle), Python source text defining it, or a
``module:function`` reference (C# hosts)."""
import importlib

import cloudpickle


def load_function(stage: dict):
    """The callable (or function object) of ``stage``; a clear error when it cannot be had."""
    form = stage.get("fn_form", "pickle")
    if form == "pickle":
        return cloudpickle.loads(stage["fn"])
    text = bytes(stage["fn"]).decode("utf-8")
    if form == "source":
        name = stage.get("fn_name")
        namespace = {"__name__": f"pyflow_source_{name}"}
        exec(compile(text, f"<source of {stage['name']}>", "exec"), namespace)  # noqa: S102 - the host's own code
        if name not in namespace:
            raise NameError(f"the source given for '{stage['name']}' defines no '{name}'")
        return namespace[name]
    if form == "module":
        module_name, _, attribute = text.partition(":")
        if not module_name or not attribute:
            raise ValueError(f"'{text}' is not a 'module:function' reference")
        module = importlib.import_module(module_name)
        try:
            return getattr(module, attribute)
        except AttributeError:
            raise AttributeError(f"module '{module_name}' has no '{attribute}' (from '{text}')") from None
    raise ValueError(f"unknown function form {form!r}; this worker knows pickle, source and module")
