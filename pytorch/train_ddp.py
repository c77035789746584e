"""Continue training an exported model with PyTorch's DistributedDataParallel, on as many processes as torchrun starts.

    torchrun --nproc_per_node 2 pytorch/train_ddp.py model.pth datasets/scenes-quick --epochs 1 --lr 1e-3 --out continued.pth

Each process takes its share of the training items (DistributedSampler); gradients are averaged across processes by
DDP. Backend: NCCL on GPUs (one per process, by LOCAL_RANK), gloo on CPUs. The schedule is fastai's fit_one_cycle
(OneCycleLR: cosine, from lr/25 up to lr and down to lr/1e5, momentum 0.95→0.85→0.95), the optimiser fastai's Adam
(AdamW with betas 0.9/0.99, eps 1e-5, weight decay 0.01 decoupled), the loss fastai's default for the targets (BCE with
logits for multi-label, MSE for points). Rank 0 writes the result as ExportPyTorch does (state dict + JSON), which C#
loads with Learner.Load or VisionLearner.Create(..., pretrainedWeights:), and a JSON log of every step.
"""
import argparse
import json
import os
import random
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from multilabel_data import ExportDataset, load_items
from multilabel_model import load_export, save_export


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("export", help="the .pth/.safetensors written by ExportPyTorch (its .json beside it)")
    p.add_argument("data", help="a folder in the bundled formats (PASCAL-style CSV for multi-label, BIWI for points)")
    p.add_argument("--out", required=True, help="where rank 0 writes the trained model (.pth; its .json beside it)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many optimiser steps (0: whole epochs)")
    p.add_argument("--lr", type=float, default=1e-3, help="the one-cycle peak learning rate of the head")
    p.add_argument("--lr-min", type=float, help="the body's first layers' peak learning rate (fastai's slice(lr_min, lr) over "
                   "the ResNet split: stem..layer2, layer3..layer4, head; default lr/100, as fine_tune's unfrozen phase)")
    p.add_argument("--freeze", action="store_true", help="train only the head and the BatchNorm layers (fastai's frozen phase)")
    p.add_argument("--batch-size", type=int, default=16, help="per process")
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--workers", type=int, default=0, help="DataLoader workers per process")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--log", help="a JSON file with the loss of every step and the validation loss (rank 0)")
    return p.parse_args()


def param_groups(model, args):
    """fastai's split of a ResNet learner (stem..layer2, layer3..layer4, head) with geometric learning rates from lr_min
    to lr; weight decay on weights only, none on BatchNorm parameters and biases (as fastai)."""
    body, head = model[0], model[1]
    parts = [list(body[:6].parameters()), list(body[6:].parameters()), list(head.parameters())]
    lr_min = args.lr / 100 if args.lr_min is None else args.lr_min
    lrs = [lr_min, (lr_min * args.lr) ** 0.5, args.lr]
    bn = {id(p) for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for p in m.parameters()}
    groups = []
    for i, (params, lr) in enumerate(zip(parts, lrs)):
        for p in params:
            p.requires_grad_(not args.freeze or i == 2 or id(p) in bn)
        trained = [p for p in params if p.requires_grad]
        decay = [p for p in trained if p.ndim > 1]
        rest = [p for p in trained if p.ndim <= 1]
        groups += [g for g in ({"params": decay, "lr": lr, "weight_decay": args.weight_decay},
                               {"params": rest, "lr": lr, "weight_decay": 0.0}) if g["params"]]
    return groups


def validate(model, loader, loss_fn, device):
    """The mean loss over the validation items, the model in eval mode (then back in train mode)."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for x, y in loader:
            total += loss_fn(model(x.to(device)), y.to(device)).item() * len(x)
            count += len(x)
    model.train()
    return total / count


def main():
    args = parse_args()
    cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if cuda else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0))) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    else:
        # The CPU's cores shared by the processes on this machine.
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // int(os.environ.get("LOCAL_WORLD_SIZE", world))))
    random.seed(args.seed + rank)
    torch.manual_seed(args.seed)  # the same dropout masks' start, and DDP broadcasts rank 0's weights anyway

    model, config = load_export(args.export)
    items = load_items(args.data, config)
    train_items = [i for i in items if not i[2]]
    valid_items = [i for i in items if i[2]]
    train = ExportDataset(train_items, config, train=True)
    sampler = DistributedSampler(train, num_replicas=world, rank=rank, shuffle=True, seed=args.seed, drop_last=True)
    loader = DataLoader(train, batch_size=args.batch_size, sampler=sampler, num_workers=args.workers, drop_last=True)
    steps_per_epoch = len(loader)
    total = steps_per_epoch * args.epochs if args.max_steps <= 0 else min(args.max_steps, steps_per_epoch * args.epochs)
    if total < 1:
        raise SystemExit(f"{len(train)} training items make no batch of {args.batch_size} on each of {world} processes")

    model.to(device)
    groups = param_groups(model, args)  # before DDP, which syncs the gradients of the parameters that train then
    ddp = DistributedDataParallel(model, device_ids=[device.index] if cuda else None)
    loss_fn = nn.BCEWithLogitsLoss() if config["kind"] == "MultiLabel" else nn.MSELoss()
    opt = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.99), eps=1e-5)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[g["lr"] for g in groups], total_steps=total, pct_start=0.25,
                                                div_factor=25.0, final_div_factor=1e5 / 25, base_momentum=0.85, max_momentum=0.95)

    valid = DataLoader(ExportDataset(valid_items, config, train=False), batch_size=args.batch_size * 2) if valid_items else None
    valid_before = validate(model, valid, loss_fn, device) if rank == 0 and valid else None
    losses, step, started = [], 0, time.time()
    ddp.train()
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        for x, y in loader:
            if step >= total:
                break
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            loss = loss_fn(ddp(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            # The mean over processes: the loss of the whole (world × batch) step.
            mean = loss.detach().clone()
            dist.all_reduce(mean)
            losses.append(mean.item() / world)
            step += 1
            if rank == 0:
                print(f"step {step}/{total} loss {losses[-1]:.4f}", flush=True)

    if rank == 0:
        valid_loss = validate(model, valid, loss_fn, device) if valid else None
        save_export(model.cpu(), config, args.out)
        if args.log:
            with open(args.log, "w", encoding="utf-8") as f:
                json.dump({"world_size": world, "backend": dist.get_backend(), "steps": step, "losses": losses,
                           "valid_loss_before": valid_before, "valid_loss": valid_loss, "seconds": time.time() - started}, f, indent=1)
        print(f"saved {args.out} after {step} steps on {world} processes ({dist.get_backend()}); valid loss {valid_before} before, {valid_loss} after", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
