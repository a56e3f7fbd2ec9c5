"""Two lockstep processes on one workspace: the second gets "workspace in use" (exit code 2) or
waits its turn; the workspace is never corrupted."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from lockstep import Workspace

from ._procs import LOCKSTEP, write_posts

# A lockstep process that ingests, then keeps the workspace open until told to close it.
HOLDER = textwrap.dedent("""
    import sys
    from lockstep import Workspace
    with Workspace(sys.argv[1]) as ws:
        ws.ingest(sys.argv[2])
        print("holding", flush=True)
        sys.stdin.readline()
""")


def in_use(ws) -> str:
    return f"Error: {ws}: workspace in use by another lockstep process; wait for it to finish"


def test_a_second_process_gets_workspace_in_use_while_the_first_holds_it(tmp_path):
    first_file = write_posts(tmp_path / "first.csv", 500, seed=1)
    second_file = write_posts(tmp_path / "second.csv", 200, seed=2, start=1_000_000)
    ws = tmp_path / "ws"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(ws), str(first_file)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        for command in (["ingest", str(second_file)], ["info"]):
            second = subprocess.run([LOCKSTEP, *command, "--workspace", str(ws)], capture_output=True, text=True,
                                    timeout=120)
            assert (second.returncode, second.stderr.strip()) == (2, in_use(ws))
    finally:
        holder.communicate("done\n", timeout=60)
    assert holder.returncode == 0
    # Afterwards the workspace holds exactly the first process's work, and the second can run.
    done = subprocess.run([LOCKSTEP, "ingest", str(second_file), "--workspace", str(ws)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Workspace(ws, read_only=True) as opened:
        assert opened.query("SELECT n_read FROM sources ORDER BY path").column("n_read").to_pylist() == [500, 200]


def test_two_ingests_started_together_are_serialised_or_refused_never_mixed(tmp_path):
    files = [write_posts(tmp_path / f"f{k}.csv", 3_000, seed=k, start=k * 10_000) for k in range(2)]
    ws = tmp_path / "ws"
    procs = [subprocess.Popen([LOCKSTEP, "ingest", str(f), "--workspace", str(ws)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for f in files]
    outcomes = [(p.wait(timeout=300), p.stderr.read().strip()) for p in procs]
    succeeded = [str(f) for f, (code, _) in zip(files, outcomes) if code == 0]
    assert succeeded, outcomes
    for code, err in outcomes:
        assert (code, err) in ((0, ""), (2, in_use(ws)))
    with Workspace(ws, read_only=True) as opened:
        assert sorted(opened.query("SELECT path FROM sources").column("path").to_pylist()) == sorted(succeeded)
        per_file = opened.query("SELECT source_file, count(*) AS n FROM posts GROUP BY 1 ORDER BY 1").to_pylist()
        stored = opened.query("SELECT path, n_accepted FROM sources ORDER BY path").to_pylist()
    assert [(r["source_file"], r["n"]) for r in per_file] == [(r["path"], r["n_accepted"]) for r in stored]
