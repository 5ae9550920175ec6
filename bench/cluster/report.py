"""The cluster bench's verdict and its RESULTS.md (see run.py)."""

from __future__ import annotations

import os
from typing import Any

from bench import common


def verdict(result: dict[str, Any]) -> dict[str, bool]:
    check, load = result["check"], result["load"]
    rate = load.get("error_rate")
    return {
        "0 records lost": check["records_missing"] == 0 and check["records_found"] == check["records_expected"],
        "0 records duplicated": check["records_duplicated"] == 0 and check["records_unexpected"] == 0,
        "every page built once": (check["canvases"] == check["pages_expected"] == check["distinct_images"]
                                  and check["pages_without_pyramid"] == 0),
        "every page OCR'd exactly once": (check["pages_ocr_once"] == check["pages_expected"]
                                          and check["ocr_empty_text"] == 0),
        "reader errors < 1 %": rate is not None and rate < 0.01 and load["requests"] > 0,
        "both nodes serve the same": bool(result["nodes_agree"]),
        "a node and a worker were killed": bool(result["kill"]),
        "finished before the timeout": not result["timed_out"],
    }


def report(result: dict[str, Any], *, quick: bool, started: str, info: dict[str, Any]) -> list[str]:
    check, load, calm, kill = result["check"], result["load"], result["calm"], result["kill"]
    around = load.get("around_kill", {})
    lines = common.header("Cluster on one machine under faults (#19)", quick=quick, started=started, info=info)
    lines += [
        f"Two web nodes (`mogao serve --workers 1`, granian, own MOGAO_HOME each) behind nginx, two workers "
        f"(`nice -n {result['nice']} mogao worker --concurrency {result['concurrency']}`: readers first), "
        "PostgreSQL (search in PostgreSQL too), RabbitMQ, "
        f"Redis (cache), SeaweedFS; OCR backend `{result['ocr_backend']}`. Readers: wrk, 1 thread, "
        f"{result['readers']} connections (the bound), cycling the home page, two searches and ten item pages "
        f"through nginx, in consecutive wrk runs of {result['window']} s during the imports.",
        "",
        f"Imported while reading: {result['records']:,} CSV records (one ingest run) and {result['images']} page "
        "images in folders of ten (one image ingest run, pyramids and OCR queued per page), both queued as the "
        "admin's upload form does. At "
        f"{kill.get('at_s', '?')} s (CSV run at record {kill.get('csv_position', '?')}, status "
        f"{kill.get('csv_status', '?')}; image run {kill.get('images_status', '?')}; "
        f"{kill.get('pages_ocr_before', '?')} pages OCR'd) web node A and worker A were killed with SIGKILL "
        f"(their whole process groups) and started again {kill.get('restarted_after_s', '?')} s later.",
        "",
        f"Load average at the end: {', '.join(str(x) for x in os.getloadavg())}.",
        "",
        "| check | result |",
        "|---|---|",
        *[f"| {name} | {'yes' if ok else '**NO**'} |" for name, ok in verdict(result).items()],
        "",
        "| figure | value |",
        "|---|---|",
        f"| records expected / found / distinct | {check['records_expected']:,} / {check['records_found']:,} / "
        f"{check['records_distinct']:,} |",
        f"| records missing / duplicated | {check['records_missing']} / {check['records_duplicated']} |",
        f"| pages expected / canvases / without pyramid | {check['pages_expected']} / {check['canvases']} / "
        f"{check['pages_without_pyramid']} |",
        f"| pages OCR'd once / more than once / never / empty text | {check['pages_ocr_once']} / "
        f"{check['pages_ocr_more']} / {check['pages_ocr_none']} / {check['ocr_empty_text']} |",
        f"| imports done, queues empty after | {result['elapsed_s']} s |",
        f"| reader requests during the faults (errors) | {load['requests']:,} ({load.get('errors', '?')}: connect "
        f"{load.get('connect', '?')}, read {load.get('read', '?')}, status ≥ 400 {load.get('status', '?')}, "
        f"timeout {load.get('timeout', '?')}) |",
        f"| reader error rate during the imports and kills | {100 * (load.get('error_rate') or 0):.3f} % |",
        f"| reader requests (errors) from the kill to 30 s after node A answered again | "
        f"{around.get('requests', '?')} ({around.get('errors', '?')}: timeout {around.get('timeout', '?')}) |",
        f"| node A answered /readyz again after the kill | {kill.get('back_s', 0) - kill.get('at_s', 0):.1f} s |",
        f"| reader requests/s, calm phase (peer) / during import and kills | {calm.get('rps')} / {load.get('rps')} "
        f"(ratio {common.ratio(load.get('rps') or 0, calm.get('rps') or 0)}) |",
        f"| reader p50 / p99 ms, calm phase (peer) | {calm.get('p50_ms')} / {calm.get('p99_ms')} |",
        f"| reader p50 / p99 ms, during import and kills | {load.get('p50_ms')} / {load.get('p99_ms')} |",
        "",
        "Both nodes were then asked, each on its own port, for "
        f"{len(result['views']['a']['pages'])} item pages (status and heading), six searches (the items listed) "
        f"and {len(result['views']['a']['images'])} images' info.json (status, size, sizes): "
        f"{'the same answers' if result['nodes_agree'] else 'DIFFERENT answers (see results.json)'}.",
        "",
        "The machine is shared (2 cores; other work ran beside this run), so the time and rate figures move "
        "between runs; the counts do not.",
    ]
    return lines
