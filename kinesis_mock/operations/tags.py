"""Tags: Add/RemoveTagsFromStream, ListTagsForStream, Tag/UntagResource, ListTagsForResource."""

from __future__ import annotations

from bisect import bisect_right

from ..backend import Backend
from ._registry import Call, Result, operation, stream_ref

# ListTagsForStream's Limit is at most 50 (model), which is also the cap on tags per stream.
_DEFAULT_LIMIT = 50


@operation("AddTagsToStream")
def add_tags_to_stream(backend: Backend, call: Call) -> Result:
    backend.add_tags_to_stream(stream_ref(call), call.params["Tags"])
    return {}


@operation("RemoveTagsFromStream")
def remove_tags_from_stream(backend: Backend, call: Call) -> Result:
    backend.remove_tags_from_stream(stream_ref(call), call.params["TagKeys"])
    return {}


@operation("ListTagsForStream")
def list_tags_for_stream(backend: Backend, call: Call) -> Result:
    stream = backend.stream(stream_ref(call))
    keys = sorted(stream.tags)
    after = call.params.get("ExclusiveStartTagKey")
    if after is not None:
        keys = keys[bisect_right(keys, after) :]
    limit = call.params.get("Limit", _DEFAULT_LIMIT)
    return {
        "Tags": [{"Key": key, "Value": stream.tags[key]} for key in keys[:limit]],
        "HasMoreTags": len(keys) > limit,
    }


@operation("TagResource")
def tag_resource(backend: Backend, call: Call) -> Result:
    backend.tag_resource(call.account, call.region, call.params["ResourceARN"], call.params["Tags"])
    return {}


@operation("UntagResource")
def untag_resource(backend: Backend, call: Call) -> Result:
    backend.untag_resource(call.account, call.region, call.params["ResourceARN"], call.params["TagKeys"])
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(backend: Backend, call: Call) -> Result:
    tags = backend.resource(call.account, call.region, call.params["ResourceARN"]).tags
    return {"Tags": [{"Key": key, "Value": tags[key]} for key in sorted(tags)]}
