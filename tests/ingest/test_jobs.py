"""Job progress from recorded counts: files done/total, chunks/s, ETA (exact numbers)."""

from __future__ import annotations

from ingest.jobs import JobProgress, JobReport, job_progress


def test_progress_counts_unchanged_files_as_done_but_not_in_the_pace() -> None:
    counts = {"added": 2, "updated": 0, "unchanged": 6, "failed": 0, "chunks": 100, "total": 12}
    # 8 of 12 done; 2 files took 50 s, so the 4 left take 100 s; 100 chunks in 50 s.
    assert job_progress(counts, started_at=1000.0, now=1050.0) == JobProgress(
        done=8, total=12, chunks=100, chunks_per_s=2.0, eta_s=100.0
    )


def test_progress_before_any_work_has_no_rate_or_eta() -> None:
    assert job_progress({}, started_at=5.0, now=5.0) == JobProgress(0, 0, 0, None, None)
    only_unchanged = {"unchanged": 3, "total": 10}
    assert job_progress(only_unchanged, 0.0, 10.0) == JobProgress(3, 10, 0, None, None)


def test_deleted_documents_are_not_files_of_the_plan() -> None:
    counts = {"added": 1, "deleted": 4, "chunks": 10, "total": 1}
    assert job_progress(counts, 0.0, 10.0) == JobProgress(1, 1, 10, 1.0, 0.0)


def test_report_counts_carry_the_planned_total() -> None:
    report = JobReport(job_id="j", index="i", total=7)
    assert report.counts()["total"] == 7
