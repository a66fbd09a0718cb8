"""Tags: Add/RemoveTagsFromStream, ListTagsForStream, Tag/UntagResource, ListTagsForResource."""

from __future__ import annotations

from bisect import bisect_right

from ..backend import Backend, tags
from ..backend.consumers import Consumer
from ..backend.stream import Stream, ensure_active
from ._registry import Call, Result, operation, stream_of

# ListTagsForStream's Limit is at most 50 (model), which is also the cap on tags per stream.
_DEFAULT_LIMIT = 50


@operation("AddTagsToStream")
def add_tags_to_stream(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    added = call.params["Tags"]
    tags.check_stream_tags([*added, *added.values()], stream.name, stream.account, "add")
    ensure_active(stream)
    tags.merge(stream.tags, added, "stream", stream.name, stream.account, backend.quotas.tag_limit)
    return {}


@operation("RemoveTagsFromStream")
def remove_tags_from_stream(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    keys = call.params["TagKeys"]
    tags.check_stream_tags(keys, stream.name, stream.account, "remove")
    ensure_active(stream)
    tags.remove(stream.tags, keys)
    return {}


@operation("ListTagsForStream")
def list_tags_for_stream(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    keys = sorted(stream.tags)
    after = call.params.get("ExclusiveStartTagKey")
    if after is not None:
        keys = keys[bisect_right(keys, after) :]
    limit = call.params.get("Limit", _DEFAULT_LIMIT)
    return {
        "Tags": [{"Key": key, "Value": stream.tags[key]} for key in keys[:limit]],
        "HasMoreTags": len(keys) > limit,
    }


def _resource(backend: Backend, call: Call) -> Stream | Consumer:
    return backend.resource(call.account, call.region, call.params["ResourceARN"])


@operation("TagResource")
def tag_resource(backend: Backend, call: Call) -> Result:
    resource = _resource(backend, call)
    added = call.params["Tags"]
    tags.check_resource_tags([*added, *added.values()])
    kind, owner = _kind_and_owner(resource)
    tags.merge(resource.tags, added, kind, resource.name, owner, backend.quotas.tag_limit)
    return {}


@operation("UntagResource")
def untag_resource(backend: Backend, call: Call) -> Result:
    resource = _resource(backend, call)
    tags.check_resource_tags(call.params["TagKeys"])
    tags.remove(resource.tags, call.params["TagKeys"])
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(backend: Backend, call: Call) -> Result:
    return {"Tags": tags.listing(_resource(backend, call).tags)}


def _kind_and_owner(resource: Stream | Consumer) -> tuple[str, str]:
    if isinstance(resource, Consumer):
        return "consumer", resource.stream.account
    return "stream", resource.account
