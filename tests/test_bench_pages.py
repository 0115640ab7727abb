"""The pages benchmark's own logic (bench/pages.py): reading wrk's output, the floor's command
line, and the figures over rounds. Wrong here, and every figure in the table is wrong."""

import pytest
from bench.pages import (
    FLOOR_APP,
    SERVER_APP,
    Page,
    WrkRun,
    floor_commands,
    floors_beside,
    parse_wrk,
    round_order,
    summarise,
    verdicts,
)

# wrk 4.1.0's output with the bench's summary script, against a page answering 404.
WRK_404 = """\
Running 1s test @ http://127.0.0.1:8199/nope
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.40ms    1.93ms  13.41ms   82.52%
    Req/Sec     0.90k   230.80     1.23k    60.00%
  900 requests in 1.00s, 457.03KB read
  Non-2xx or 3xx responses: 900
Requests/sec:    899.04
Transfer/sec:    456.54KB
riffhouse-wrk requests=900 duration_us=1001070 p50_us=1495 p99_us=8513 status_errors=900 \
connect_errors=0 read_errors=0 write_errors=0 timeouts=0
"""

WRK_OK = """\
Running 3s test @ http://127.0.0.1:8170/records/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.02ms   12.10ms 120.33ms   70.00%
    Req/Sec    97.50     10.20   120.00     66.67%
  585 requests in 3.00s, 20.11MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:    195.00
Transfer/sec:      6.70MB
riffhouse-wrk requests=585 duration_us=3000000 p50_us=40250 p99_us=98765 status_errors=0 \
connect_errors=0 read_errors=2 write_errors=0 timeouts=1
"""


def test_parse_wrk_reads_requests_latency_and_errors_exactly() -> None:
    run = parse_wrk(WRK_OK)
    assert run == WrkRun(
        requests=585, seconds=3.0, p50_ms=40.25, p99_ms=98.765, non_2xx=0, socket_errors=3
    )
    assert run.req_per_s == pytest.approx(195.0)
    assert run.failed  # socket errors: failed, whatever its speed

    errors = parse_wrk(WRK_404)
    assert errors.non_2xx == 900
    assert errors.socket_errors == 0
    assert errors.req_per_s == pytest.approx(900 / 1.00107)
    assert errors.failed


def test_parse_wrk_refuses_output_without_the_summary() -> None:
    with pytest.raises(ValueError, match="no wrk summary"):
        parse_wrk("unable to connect to 127.0.0.1:8170 Connection refused\n")


def test_the_floor_runs_on_the_servers_command_line_with_only_app_and_port_changed() -> None:
    server = ["/venv/bin/python", "-m", "gunicorn", SERVER_APP, "--bind", "127.0.0.1:8170"]
    server += ["--worker-class", "gthread", "--workers", "2", "--threads", "8"]
    server += [
        "--access-logfile",
        "-",
        "--access-logformat",
        "%(h)s %(s)s",
        "--log-level",
        "warning",
    ]
    floor, quiet = floor_commands(server, 8171)
    assert floor == [
        *server[:3],
        FLOOR_APP,
        "--bind",
        "127.0.0.1:8171",
        *server[6:],
    ]
    assert quiet == [*floor[:5], "127.0.0.1:8172", *server[6:12], "--log-level", "warning"]
    with pytest.raises(ValueError, match="not the web server"):
        floor_commands(["gunicorn", "other:app"], 8171)


def run(rps: float, p99: float = 10.0, non_2xx: int = 0) -> WrkRun:
    return WrkRun(
        requests=int(rps * 3),
        seconds=3.0,
        p50_ms=p99 / 2,
        p99_ms=p99,
        non_2xx=non_2xx,
        socket_errors=0,
    )


def test_each_round_runs_the_floor_between_every_few_lines_and_compares_with_its_neighbours():
    floor, *others = [Page(f"line {i}", "/", kind="floor" if i == 0 else "page") for i in range(8)]
    order = round_order([floor, *others], every=3)
    assert order == [floor, *others[:3], floor, *others[3:6], floor, others[6], floor]
    # The floor speeds up through the round: each line is set against its neighbours'.
    rates = [1000.0, 10, 11, 12, 2000.0, 20, 21, 22, 4000.0, 30, 3000.0]
    beside = floors_beside(order, rates)
    assert beside == {
        **dict.fromkeys(["line 1", "line 2", "line 3"], 1500.0),
        **dict.fromkeys(["line 4", "line 5", "line 6"], 3000.0),
        "line 7": 3500.0,
    }
    # A round cut short after its last line: the floor before it.
    assert floors_beside(order[:-1], rates[:-1])["line 7"] == 4000.0


def test_figures_are_medians_of_rounds_and_ratios_to_the_floor_beside_them() -> None:
    floors = [1000.0, 2000.0, 1000.0]
    page = Page("record page", "/records/1/")
    line = summarise(page, [run(500), run(600), run(100)], floors)
    assert line["req_per_s"] == 500  # the median round
    assert line["ratio"] == 0.3  # rounds 0.5, 0.3, 0.1: the median of the rounds' ratios
    assert verdicts(line) == [("≥ 0.5 of floor", False), ("p99 < 50 ms", True)]

    member = summarise(Page("x", "/", logged_in=True, kind="member"), [run(200)] * 3, floors)
    assert verdicts(member) == [("≥ 0.15 of floor", True), ("p99 < 50 ms", True)]
    slow = summarise(page, [run(900, p99=60)] * 3, floors)
    assert verdicts(slow) == [("≥ 0.5 of floor", True), ("p99 < 50 ms", False)]
    floor_runs = [run(rate) for rate in floors]
    assert verdicts(summarise(Page("floor", "/", kind="floor"), floor_runs, floors)) == []


def test_a_run_with_errors_is_failed_not_fast() -> None:
    floors = [1000.0] * 3
    line = summarise(Page("home", "/"), [run(5000), run(5000, non_2xx=3), run(5000)], floors)
    assert line["failed"]
    assert line["non_2xx"] == 3
    assert verdicts(line) == [("answers without errors", False)]
