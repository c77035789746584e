"""Predict with an exported model in plain PyTorch: on images (decoded as the C# learner decodes them) or on a saved
batch of tensors (to compare with C# outputs).

    python3 pytorch/predict.py model.pth datasets/scenes-quick/train/000007.jpg
    python3 pytorch/predict.py model.pth --tensors batch.pth --out outputs.pth   # {"input": N×3×H×W} → {"output": ...}
"""
import argparse

import torch
from PIL import Image

from multilabel_data import ExportDataset
from multilabel_model import load_export


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("export", help="the .pth/.safetensors written by ExportPyTorch or train_ddp.py (its .json beside it)")
    p.add_argument("images", nargs="*", help="image files to predict")
    p.add_argument("--tensors", help="a torch.save'd dict whose 'input' is a prepared N×3×H×W batch")
    p.add_argument("--out", help="with --tensors: where to torch.save {'output': the model's raw outputs}")
    args = p.parse_args()
    if not args.images and not args.tensors:
        p.error("give images or --tensors")

    model, config = load_export(args.export)
    model.eval()
    with torch.no_grad():
        if args.tensors:
            batch = torch.load(args.tensors, map_location="cpu")
            if "input" not in batch:
                raise SystemExit(f"{args.tensors!r} has no 'input' tensor (keys: {', '.join(batch)})")
            output = model(batch["input"].float())
            if args.out:
                torch.save({"output": output}, args.out)
            print(f"{tuple(batch['input'].shape)} -> {tuple(output.shape)}")
        prepare = ExportDataset([], config, train=False).image_tensor
        for path in args.images:
            with Image.open(path) as source:
                x = prepare(source.convert("RGB"))
            print(f"{path}: {decode(model(x.unsqueeze(0))[0], config, path)}")


def decode(output, config, path):
    kind = config["kind"]
    if kind == "MultiLabel":
        probs = torch.sigmoid(output)
        labels = [v for v, pr in zip(config["vocab"], probs.tolist()) if pr > config["threshold"]]
        return f"{labels} (probabilities {', '.join(f'{v} {pr:.3f}' for v, pr in zip(config['vocab'], probs.tolist()))})"
    if kind == "Category":
        probs = torch.softmax(output, -1)
        return f"{config['vocab'][int(probs.argmax())]} ({float(probs.max()):.3f})"
    if kind == "Points":
        with Image.open(path) as img:
            w, h = img.size
        pts = output.reshape(-1, 2)
        return [((float(x) + 1) * w / 2, (float(y) + 1) * h / 2) for x, y in pts]
    return output.tolist()


if __name__ == "__main__":
    main()
