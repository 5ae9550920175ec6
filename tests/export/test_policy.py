"""Every model in the project has an export decision (issue #12 fault 4)."""

from __future__ import annotations

from mogao.export.policy import EXPORTED, NOT_EXPORTED, undecided_models


def test_every_model_is_exported_or_left_out_with_a_reason() -> None:
    assert undecided_models() == [], (
        "new models without an export decision: add each to EXPORTED or NOT_EXPORTED in "
        "src/mogao/export/policy.py (and export it in records.py / restore it in reimport.py if it holds "
        "anyone's work)"
    )
    assert not EXPORTED.keys() & NOT_EXPORTED.keys()
    assert all(reason.strip() for reason in NOT_EXPORTED.values())


def test_a_new_model_would_be_caught(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mogao.export import policy

    monkeypatch.delitem(policy.EXPORTED, "reading.correction")
    assert undecided_models() == ["reading.correction"]
