"""Must FAIL `mypy --strict` (checked by test_typing.py): proof that the typings constrain."""

from wagroups.types import Event, GroupInfo


def wrong_variant(event: Event) -> object:
    if event["type"] == "status":
        return event["join_request_id"]  # only join-request events have it
    return None


def wrong_type(info: GroupInfo) -> int:
    return info["subject"]  # Optional[str], not int


def wrong_tag(event: Event) -> bool:
    return event["type"] == "group_created"  # no such type: comparison-overlap
