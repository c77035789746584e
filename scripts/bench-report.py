"""The benchmark's report in Markdown, from the log of one scripts/bench-cpu.sh run (nothing copied by hand).

    python3 scripts/bench-report.py LOG                                 the report on standard output
    python3 scripts/bench-report.py LOG --readme FILE --section KIND    replaces FILE's section between the bench-cpu
                                                                        markers named KIND (avx512, avx2: one per machine
                                                                        kind, since their figures differ) with it

Every figure comes from the log's own lines: the machine and run lines bench-cpu.sh writes first, the project's and
PyTorch's timings, and the ratios computed here as ratios.sh computes them (PyTorch / project for times, project /
PyTorch for images per second: above 1.0 the project is faster). A figure one side lacks is left as a dash.
"""
import argparse
import re
import sys


def markers(section):
    return (f"<!-- bench-cpu:begin {section}: written by scripts/bench-report.py from the log below; do not edit by hand -->",
            f"<!-- bench-cpu:end {section} -->")


STEP = re.compile(r"^(project|pytorch|pytorch-glibc-defaults) (\S+) (fp32|bf16\+cl|bf16-autocast\+cl|bf16-model\+cl|host-overhead-fp32|optimizer-fp32|optimizer-foreach-fp32) ([\d.]+) ms")
MPARAM = re.compile(r"ms per step, [\d.]+ ms/Mparam \(([\d.]+)M parameters")
BATCH = re.compile(r"\(batch (\d+)")
GROWTH = re.compile(r"^(project|pytorch) growth (\S+) fp32 (\d+x\d+) batch (\d+) ([\d.]+) ms/img")
EPOCH = re.compile(r"^(project|pytorch) epoch-train (\S+) fp32 ([\d.]+) s for (\d+) batches of (\d+)")
EPOCH_RATIO = re.compile(r"^project epoch-ratio fp32 ([\d.]+) \(pipeline epoch / pure compute over (\d+) batches")
PROJECT_DATA = re.compile(r"^data (\S+) pipeline-reduced workers=(\d+): (\d+) img/s")
PROJECT_DATA_HEAD = re.compile(r"^data (\S+): \d+ images, first (\d+)×(\d+), (.+), batch")
PYTORCH_DATA = re.compile(r"^pytorch data (\S+) pipeline workers=(\d+): (\d+) img/s")


def parse(lines):
    log = {"mparams": {}, "steps": {}, "batch": {}, "growth": {}, "epochs": {}, "epoch_ratio": {}, "data": {}, "data_head": {}, "torch_data": {},
           "machine": "", "run": "", "torch": "", "project": "", "order": [], "gorder": [], "dorder": []}
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("machine: "):
            log["machine"] = line[len("machine: "):]
        elif line.startswith("run: "):
            log["run"] = line[len("run: "):]
        elif line.startswith("torch ") and " on " in line:
            log["torch"] = line.split(";")[0]
        elif line.startswith("project on "):
            log["project"] = line.split(", cuDNN")[0]
        elif m := GROWTH.match(line):
            side, w, size, b, ms = m.groups()
            log["growth"][(side, w, size, int(b))] = float(ms)
            if side == "project" and (w, size) not in log["gorder"]:
                log["gorder"].append((w, size))
        elif m := EPOCH.match(line):
            side, w, s, batches, batch = m.groups()
            log["epochs"][(side, int(batches))] = float(s)
        elif m := EPOCH_RATIO.match(line):
            log["epoch_ratio"][int(m.group(2))] = float(m.group(1))
        elif m := PROJECT_DATA_HEAD.match(line):
            log["data_head"][m.group(1)] = f"{m.group(2)}×{m.group(3)}, {m.group(4)}"
        elif m := PROJECT_DATA.match(line):
            log["data"][(m.group(1), m.group(2))] = float(m.group(3))
            log["dorder"].append((m.group(1), m.group(2)))
        elif m := PYTORCH_DATA.match(line):
            log["torch_data"][(m.group(1), m.group(2))] = float(m.group(3))
        elif m := STEP.match(line):
            side, w, mode, ms = m.groups()
            log["steps"][(side, w, mode)] = float(ms)
            if (p := MPARAM.search(line)) and side == "project":
                log["mparams"][w] = float(p.group(1))
            if side == "project" and w not in log["order"]:
                log["order"].append(w)
            if (b := BATCH.search(line)) and mode in ("fp32", "bf16+cl", "bf16-autocast+cl"):
                log["batch"][w] = int(b.group(1))
    return log


def ms(v):
    return "–" if v is None else f"{v:.1f}"


def ratio(num, den):
    return "–" if num is None or den is None else f"{num / den:.2f}"


def table(out, intro, columns):
    """A section: a blank line, its introduction, a blank line, the header row and its rule."""
    out += ["", intro, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def report(log):
    s, out = log["steps"], []
    out.append(f"Machine: {log['machine'] or '(not in the log)'}. Run: {log['run'] or '(not in the log)'}; "
               f"{log['torch'] or 'PyTorch (version not in the log)'}; {log['project'] or 'the project'}.")
    out.append("")
    out.append("Training steps, ms per step (each the median of the timed steps; ratio = PyTorch / project, above 1.0 the "
               "project is faster). fp32 PyTorch runs with the project's allocator settings; *vs defaults* is PyTorch with "
               "glibc's malloc defaults; the mixed-precision peer is `torch.autocast` bfloat16 with float32 weights and "
               "channels-last; the host-bound step is batch 2 at 32×32.")
    out.append("")
    out.append("| workload | batch | fp32 PyTorch | fp32 project | ratio | vs defaults | bf16 autocast PyTorch | bf16+cl project | ratio | vs bf16 model | host-bound PyTorch / project | ratio |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for w in log["order"]:
        g = lambda side, mode: s.get((side, w, mode))
        p32, m32, d32 = g("pytorch", "fp32"), g("project", "fp32"), g("pytorch-glibc-defaults", "fp32")
        pac, mbf, pbm = g("pytorch", "bf16-autocast+cl"), g("project", "bf16+cl"), g("pytorch", "bf16-model+cl")
        ph, mh = g("pytorch", "host-overhead-fp32"), g("project", "host-overhead-fp32")
        out.append(f"| {w} | {log['batch'].get(w, '–')} | {ms(p32)} | {ms(m32)} | {ratio(p32, m32)} | {ratio(d32, m32)} | {ms(pac)} | {ms(mbf)} | "
                   f"{ratio(pac, mbf)} | {ratio(pbm, mbf)} | {ms(ph)} / {ms(mh)} | {ratio(ph, mh)} |")
    if log["mparams"]:
        table(out, "The optimizer's step alone (fastai's Adam on flat buffers against PyTorch's AdamW per tensor, torch "
              "1.13's CPU default, and foreach), ms per step and ms per million parameters; ratio = PyTorch / project.",
              ["workload", "parameters", "AdamW per tensor", "AdamW foreach", "project", "ratio", "vs foreach"])
        for w in log["order"]:
            n = log["mparams"].get(w)
            if n is None:
                continue
            per = lambda v: "–" if v is None else f"{v:.1f} ({v / n:.2f}/M)"
            pt, pf, m = s.get(("pytorch", w, "optimizer-fp32")), s.get(("pytorch", w, "optimizer-foreach-fp32")), s.get(("project", w, "optimizer-fp32"))
            out.append(f"| {w} | {n:.2f}M | {per(pt)} | {per(pf)} | {per(m)} | {ratio(pt, m)} | {ratio(pf, m)} |")
    if log["gorder"]:
        batches = sorted({k[3] for k in log["growth"]})
        table(out, "How cost grows: ms per image in float32, PyTorch / project (ratio), by batch size, at the workload's size "
              "and half of it. Where the ratio climbs with the batch, the host's fixed work per step is what held the project back.",
              ["workload", "size"] + [f"batch {b}" for b in batches])
        for w, size in log["gorder"]:
            cells = []
            for b in batches:
                p, m = log["growth"].get(("pytorch", w, size, b)), log["growth"].get(("project", w, size, b))
                cells.append(f"{ms(p)} / {ms(m)} ({ratio(p, m)})")
            out.append(f"| {w} | {size} | " + " | ".join(cells) + " |")
    if log["epochs"]:
        table(out, "Whole ResNet-50 epochs at 128 px from PASCAL-sized JPEGs (training phase, batch 8; the loader and "
              "`aug_transforms` on the CPU against torch's `DataLoader` with a crop and a flip). *Loader's share*: the "
              "project's epoch over the same number of synthetic steps (1.00 = the loader is fully hidden).",
              ["batches", "PyTorch s", "project s", "ratio", "PyTorch s/batch", "project s/batch", "loader's share (project)"])
        for n in sorted({k[1] for k in log["epochs"]}):
            p, m = log["epochs"].get(("pytorch", n)), log["epochs"].get(("project", n))
            share = log["epoch_ratio"].get(n)
            out.append(f"| {n} | {ms(p)} | {ms(m)} | {ratio(p, m)} | {'–' if p is None else f'{p / n:.3f}'} | "
                       f"{'–' if m is None else f'{m / n:.3f}'} | {'–' if share is None else f'{share:.2f}'} |")
    if log["dorder"]:
        table(out, "Loaders, images/s with all cores (decode + item transform + collate; PyTorch: `DataLoader` with PIL and "
              "torchvision transforms in its workers; ratio = project / PyTorch).",
              ["data", "images, transform", "workers", "PyTorch img/s", "project img/s", "ratio"])
        for name, workers in log["dorder"]:
            p, m = log["torch_data"].get((name, workers)), log["data"].get((name, workers))
            if p is None:
                continue  # the one-worker figure has no PyTorch twin
            out.append(f"| {name} | {log['data_head'].get(name, '–')} | {workers} | {p:.0f} | {m:.0f} | {ratio(m, p)} |")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description="The benchmark's report in Markdown, from one bench-cpu.sh log.")
    parser.add_argument("log")
    parser.add_argument("--readme", help="write the report into this file's section instead of printing it")
    parser.add_argument("--section", help="the section's name in the markers (the machine kind: avx512, avx2)")
    args = parser.parse_args()
    if args.readme and not args.section:
        parser.error("--readme needs --section (the machine kind the log was measured on, e.g. avx512)")
    with open(args.log, encoding="utf-8") as f:
        text = report(parse(f))
    if not args.readme:
        sys.stdout.write(text)
        return
    begin, end = markers(args.section)
    with open(args.readme, encoding="utf-8") as f:
        readme = f.read()
    if readme.count(begin) != 1 or readme.count(end) != 1 or readme.index(begin) > readme.index(end):
        sys.exit(f"{args.readme}: expected one '{begin}' line and one '{end}' line after it")
    head, rest = readme.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(args.readme, "w", encoding="utf-8") as f:
        f.write(head + begin + "\n" + text + end + tail)


if __name__ == "__main__":
    main()
