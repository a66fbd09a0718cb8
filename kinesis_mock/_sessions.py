"""Fresh botocore sessions at a fraction of their price, while a mock is active.

Each activation hands ``boto3.client()`` a new default session (see :mod:`._hook`), so that no
credentials, configuration or handlers of one test reach the next. A new botocore session costs
what its first client costs: ~200 ms parsing the JSON model files again (its data loader starts
with an empty cache) and ~10 ms registering botocore's ~200 built-in handlers one by one. Neither
is session state, so while a mock is active:

- every data loader botocore creates shares one cache of parsed files per set of search paths
  (``Loader`` caches through ``botocore.utils.instance_cache`` in its ``_cache`` dict; the parsed
  models are read-only to botocore, which already shares them between the clients of a session);
- ``botocore.session.get_session()`` (which ``boto3.Session()`` calls) builds its session on a copy
  of an emitter that holds the built-in handlers, the way botocore gives each client a copy of its
  session's emitter, instead of registering them again. The copy is rebuilt when
  ``botocore.handlers.BUILTIN_HANDLERS`` changes (moto adds to it when imported).

Everything else of the session is new: credentials, config variables, profile, components, and
the handlers anyone registers on it. Both patches are removed when the mock stops.
"""

from __future__ import annotations

import copy
from typing import Any

import botocore.handlers
import botocore.loaders
import botocore.session
from botocore.hooks import HierarchicalEmitter

# Parsed data files, one cache per loader search path list; kept for the process (files of the
# installed botocore do not change while it runs).
_CACHES: dict[tuple[str, ...], dict[Any, Any]] = {}


class _Template:
    handlers: tuple[Any, ...] = ()
    emitter: HierarchicalEmitter | None = None


_patches: list[tuple[Any, str, Any]] = []


def install() -> None:
    """Make the sessions and data loaders botocore creates from now on cheap."""
    for name, replacement in (("create_loader", _create_loader), ("get_session", _get_session)):
        _patches.append((botocore.session, name, botocore.session.__dict__[name]))
        setattr(botocore.session, name, replacement)


def uninstall() -> None:
    """Undo :func:`install`."""
    while _patches:
        owner, name, original = _patches.pop()
        setattr(owner, name, original)


def _create_loader(search_path_string: str | None = None) -> Any:
    loader = botocore.loaders.create_loader(search_path_string)
    loader._cache = _CACHES.setdefault(tuple(loader.search_paths), loader._cache)
    return loader


def _get_session(env_vars: dict[str, Any] | None = None) -> Any:
    emitter = copy.copy(_emitter())
    return botocore.session.Session(env_vars, event_hooks=emitter, include_builtin_handlers=False)


def _emitter() -> HierarchicalEmitter:
    current = tuple(botocore.handlers.BUILTIN_HANDLERS)
    if _Template.emitter is None or current != _Template.handlers:
        emitter = HierarchicalEmitter()
        botocore.session.Session(event_hooks=emitter)  # registers the built-in handlers on it
        _Template.emitter, _Template.handlers = emitter, current
    return _Template.emitter
