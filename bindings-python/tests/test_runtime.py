"""Runtime behaviour: the GIL is released during long calls, Ctrl-C interrupts a waiting call,
and results are the same whichever thread computes them."""

import _thread
import threading
import time

import pytest

import storelytics as sl


def test_other_threads_run_while_a_call_computes():
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.005)

    t = threading.Thread(target=ticker)
    t.start()
    started = time.perf_counter()
    try:
        sl.generate(lines=400_000)
    finally:
        done.set()
        t.join()
    elapsed = time.perf_counter() - started
    during = [x for x in ticks if x < started + elapsed]
    # With the GIL held for the whole call, the ticker would not run at all meanwhile.
    assert elapsed < 0.05 or len(during) >= 3


def test_ctrl_c_interrupts_a_long_call():
    timer = threading.Timer(0.2, _thread.interrupt_main)
    timer.start()
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        sl.generate(lines=3_000_000)
        # Should the machine be fast enough to finish first, wait for the interrupt here.
        time.sleep(5)
    timer.cancel()
    assert time.perf_counter() - started < 4.5


def test_results_do_not_depend_on_the_calling_thread():
    sales = sl.generate(lines=20_000, seed=3).sales
    here = sl.kpi_report(sales).to_dict()
    out = {}
    t = threading.Thread(target=lambda: out.update(r=sl.kpi_report(sales).to_dict()))
    t.start()
    t.join()
    assert out["r"] == here


def test_generator_is_deterministic():
    a = sl.generate(lines=10_000, seed=5)
    b = sl.generate(lines=10_000, seed=5)
    assert len(a.sales) == len(b.sales)
    assert sl.kpi_report(a.sales).to_dict() == sl.kpi_report(b.sales).to_dict()
    assert a.products.equals(b.products) and a.anomalies.equals(b.anomalies)
    assert len(a.sales.stores) == 3 and a.anomalies.height > 0
