"""Register this Python as a Jupyter kernel, so notebooks run PyFlow with the interpreter that has it.

    python -m pyflow.kernel install            # for this user (~/.local/share/jupyter/kernels/pyflow)
    python -m pyflow.kernel install --sys-prefix  # into this venv's prefix
    python -m pyflow.kernel install --prefix DIR  # into DIR/share/jupyter/kernels (tests, packaging)
    python -m pyflow.kernel remove             # the user's registration

In a checkout, ``./dev kernel`` does the first for the project's ``.venv``. Then pick the kernel
"PyFlow (…)" in Jupyter, or ``jupyter nbconvert --ExecutePreprocessor.kernel_name=pyflow``.
"""
import argparse
import json
import os
import sys
import tempfile

KERNEL_NAME = "pyflow"

__all__ = ["install", "kernel_spec", "main"]


def kernel_spec(executable: "str | None" = None) -> dict:
    """The kernel.json that starts an IPython kernel on ``executable`` (default: this Python).

    >>> kernel_spec("/venv/bin/python")["argv"][:3]
    ['/venv/bin/python', '-m', 'ipykernel_launcher']
    """
    executable = executable or sys.executable
    return {"argv": [executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"PyFlow ({executable})", "language": "python",
            "metadata": {"debugger": True}}


def _manager():
    try:
        from jupyter_client.kernelspec import KernelSpecManager
        import ipykernel  # noqa: F401  (the kernel itself must be importable by this Python)
    except ImportError as e:
        raise SystemExit(f"registering a Jupyter kernel needs ipykernel and jupyter_client in {sys.executable} "
                         f"({e}); install them (Debian: apt-get install python3-ipykernel) and run this again")
    return KernelSpecManager()


def install(user: bool = True, prefix: "str | None" = None, name: str = KERNEL_NAME) -> str:
    """Registers this interpreter as kernel ``name``; returns the kernel's directory."""
    manager = _manager()
    with tempfile.TemporaryDirectory() as source:
        with open(os.path.join(source, "kernel.json"), "w", encoding="utf-8") as f:
            json.dump(kernel_spec(), f, indent=1)
        return manager.install_kernel_spec(source, kernel_name=name, user=user and prefix is None, prefix=prefix,
                                           replace=True)


def main(argv=None) -> int:
    """The command line: ``install`` or ``remove``."""
    parser = argparse.ArgumentParser(prog="python -m pyflow.kernel", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("install", help="register this Python as a Jupyter kernel")
    where = add.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for this user (the default)")
    where.add_argument("--sys-prefix", action="store_true", help="into sys.prefix (this venv)")
    where.add_argument("--prefix", help="into PREFIX/share/jupyter/kernels")
    add.add_argument("--name", default=KERNEL_NAME, help=f"kernel name (default {KERNEL_NAME})")
    drop = commands.add_parser("remove", help="remove the registration")
    drop.add_argument("--name", default=KERNEL_NAME)
    args = parser.parse_args(argv)
    if args.command == "install":
        prefix = sys.prefix if args.sys_prefix else args.prefix
        path = install(user=prefix is None, prefix=prefix, name=args.name)
        print(f"kernel {args.name!r} ({sys.executable}) registered in {path}")
        return 0
    _manager().remove_kernel_spec(args.name)
    print(f"kernel {args.name!r} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
