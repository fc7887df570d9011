# PyInstaller runtime hook (packaging/counterdesk.spec): PyInstaller's own runtime hooks for
# standard-library modules (inspect, multiprocessing, pkgutil) import their module, and what it
# imports, before the program's first line: 50-90 ms of the log-in window's wait on every start,
# for modules the log-in window never uses. The spec takes them out of the start-up and puts their
# code here, in DEFERRED (module name: the hook's source); each runs right after its module is
# first imported, by whoever imports it, so the module is patched before anyone uses it, as before.
import sys

DEFERRED = {}  # filled in by the spec at build time


def _counterdesk_deferred_rthooks(deferred):
    def run(name):
        exec(compile(deferred.pop(name), f"<runtime hook for {name}>", "exec"), {"__name__": f"pyi_rth_{name}"})

    class Loader:
        """The module's own loader, then the hook."""

        def __init__(self, name, inner):
            self._name = name
            self._inner = inner

        def create_module(self, spec):
            return self._inner.create_module(spec)

        def exec_module(self, module):
            self._inner.exec_module(module)
            if self._name in deferred:
                run(self._name)
            if not deferred and Finder in sys.meta_path:
                sys.meta_path.remove(Finder)

        def __getattr__(self, attr):  # get_source, get_resource_reader ... as the module's own loader
            return getattr(self._inner, attr)

    class Finder:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name not in deferred:
                return None
            for finder in sys.meta_path:
                if finder is Finder or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    if spec.loader is not None:
                        spec.loader = Loader(name, spec.loader)
                    return spec
            return None

    for name in list(deferred):
        if name in sys.modules:  # imported already (by the bootstrap): run it now, as PyInstaller would
            run(name)
    if deferred:
        sys.meta_path.insert(0, Finder)


_counterdesk_deferred_rthooks(DEFERRED)
del _counterdesk_deferred_rthooks
