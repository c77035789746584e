#!/usr/bin/env python3
"""Interrupts training in a real .NET Jupyter kernel with Jupyter's own client and checks that the kernel survives.

Usage: interrupt_training.py REPO_ROOT PACKAGE_FOLDER PACKAGE_VERSION [baseline]

With "baseline" the kernel runs with MULTILABEL_SIGINT=default (the host's own SIGINT handling) and the script
checks that the interrupt ends the kernel, which is what the package prevents.

Starts the `.net-csharp` kernel (kernelspec from `dotnet interactive jupyter install`), loads the packed
MultiLabel.Interactive, builds a small learner on the bundled scenes, runs `#!fine_tune`, interrupts it with
KernelManager.interrupt_kernel() (a SIGINT, as Jupyter's interrupt button sends), then checks that the cell stopped
with "interrupted at epoch ...", that the kernel is alive and that the same learner trains again. A cell that sleeps
is interrupted the same way. Prints one line per check; exits 1 on the first failure.
"""
import os
import re
import sys
import time

from jupyter_client.manager import KernelManager

root, feed, version = sys.argv[1:4]
baseline = sys.argv[4:5] == ["baseline"]
scenes = os.path.join(root, "datasets", "scenes-quick")


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def drain(kc, msg_id, timeout):
    """iopub messages of one request until the kernel is idle for it."""
    outputs, deadline = [], time.time() + timeout
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        except Exception:
            break
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind in ("display_data", "update_display_data", "execute_result", "error", "stream"):
            outputs.append(msg)
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            return outputs
    fail(f"no idle status within {timeout} s")


def text_of(outputs):
    parts = []
    for m in outputs:
        c = m["content"]
        parts.extend(str(v) for v in c.get("data", {}).values())
        parts.append(c.get("text", ""))
        parts.append(c.get("evalue", ""))
    return "\n".join(parts)


def reply_to(kc, msg_id, timeout):
    """The shell reply to one request (a cancelled request may be answered twice; later answers are skipped)."""
    deadline = time.time() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply
        print(f"(skipped a late {reply['msg_type']} {reply['content'].get('status')} to an earlier request)", flush=True)


def run(kc, code, timeout=600, expect_ok=True):
    msg_id = kc.execute(code)
    reply = reply_to(kc, msg_id, timeout)
    outputs = drain(kc, msg_id, 60)
    status = reply["content"]["status"]
    if expect_ok and status != "ok":
        fail(f"cell failed ({status}): {code[:80]!r}\n{text_of(outputs)[-2000:]}")
    return status, outputs


km = KernelManager(kernel_name=".net-csharp")
env = dict(os.environ)
if baseline:
    env["MULTILABEL_SIGINT"] = "default"
km.start_kernel(cwd=root, env=env)
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=180)
    print("kernel ready", flush=True)
    run(kc, f'#i "nuget:{feed}"\n#r "nuget: libtorch-cpu-linux-x64, 2.10.0"\n#r "nuget: MultiLabel.Interactive, {version}"')
    print("package loaded", flush=True)
    run(kc, f'''
using MultiLabel.Vision.Data; using MultiLabel.Vision.Data.Blocks; using MultiLabel.Vision.Data.Tables; using MultiLabel.Vision.Transforms;
using MultiLabel.Vision.Training; using MultiLabel.Vision.Models; using MultiLabel.Vision.Metrics;
var path = @"{scenes}";
var table = Table.ReadCsv(System.IO.Path.Combine(path, "train.csv"));
var dblock = new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => System.IO.Path.Combine(path, "train", r["fname"]),
    r => r["labels"].Split(' '), Splitters.RandomSplitter<TableRow>(0.25, seed: 1), itemTfms: new IItemTransform[] {{ new Resize(32) }});
var dls = dblock.DataLoaders(table.Rows.Take(160), batchSize: 8, device: TorchSharp.torch.CPU, workers: 2);
var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, metrics: new IMetric[] {{ new AccuracyMulti(0.2f) }}, seed: 1);
''')
    print("learner built", flush=True)

    msg_id = kc.execute("#!fine_tune --learn learn --epochs 50 --freeze-epochs 1")
    time.sleep(15)
    km.interrupt_kernel()
    started = time.time()
    if baseline:
        for _ in range(60):
            if not km.is_alive():
                print(f"baseline: the kernel ended {time.time() - started:.1f} s after the interrupt", flush=True)
                sys.exit(0)
            time.sleep(1)
        fail("baseline: the kernel survived the interrupt without the package's SIGINT handling")
    reply = reply_to(kc, msg_id, 120)
    outputs = drain(kc, msg_id, 60)
    print(f"fine_tune cell answered {reply['content']['status']} {time.time() - started:.1f} s after the interrupt", flush=True)
    if reply["content"]["status"] != "error":
        fail("the interrupted cell did not fail:\n" + text_of(outputs)[-1500:])
    if "interrupted at epoch" not in text_of(outputs) or "Command cancelled" not in text_of(outputs):
        fail("the cell's output does not say where training was interrupted:\n" + text_of(outputs)[-2000:])
    if not km.is_alive():
        fail("the kernel died")
    print("kernel alive after interrupting #!fine_tune", flush=True)

    status, outputs = run(kc, "var before = learn.Recorder.Epochs.Count;\nlearn.FitOneCycle(1, 1e-3);\n$\"{before} -> {learn.Recorder.Epochs.Count}\"")
    counts = re.search(r"(\d+) -&gt; (\d+)|(\d+) -> (\d+)", text_of(outputs))
    if not counts or int(counts.group(2) or counts.group(4)) != int(counts.group(1) or counts.group(3)) + 1:
        fail("the learner did not record one more epoch:\n" + text_of(outputs)[-1500:])
    print(f"trained again: epochs recorded {counts.group(0)}", flush=True)

    msg_id = kc.execute("System.Threading.Thread.Sleep(20000);")
    time.sleep(3)
    km.interrupt_kernel()
    started = time.time()
    reply = reply_to(kc, msg_id, 60)
    drain(kc, msg_id, 30)
    print(f"sleep cell answered {reply['content']['status']} {time.time() - started:.1f} s after the interrupt", flush=True)
    if not km.is_alive():
        fail("the kernel died after interrupting a sleeping cell")
    status, outputs = run(kc, "1 + 1")
    print("kernel answers after interrupting a sleeping cell", flush=True)
    print("JUPYTER INTERRUPT OK", flush=True)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
