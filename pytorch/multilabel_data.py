"""The bundled data formats, read as the C# loaders read them, for training an exported model in PyTorch.

- PASCAL-style multi-label: ``train.csv`` (``fname,labels,is_valid``; labels space-separated) and images in ``train/``.
- BIWI head pose: person folders with ``frame_XXXXX_rgb.jpg`` + ``frame_XXXXX_pose.txt`` and ``rgb.cal``; the target
  is the head centre projected with folder 01's intrinsics, validation is person 13 (the chapter's split).

Images go through the export's item transform (Resize: squish, crop or pad; RandomResizedCrop) and its batch size, then
the export's normalisation. Augmentation is a horizontal flip for multi-label data only (it would move points).
"""
import csv
import glob
import os
import random

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset
import torchvision.transforms.functional as TF

__all__ = ["load_items", "ExportDataset"]


def _pascal(folder, vocab):
    index = {label: i for i, label in enumerate(vocab)}
    items = []
    with open(os.path.join(folder, "train.csv"), newline="", encoding="utf-8") as f:
        for row_number, row in enumerate(csv.DictReader(f), start=2):
            labels = [l for l in row["labels"].split(" ") if l]
            unknown = [l for l in labels if l not in index]
            if unknown:
                raise ValueError(f"{folder}/train.csv row {row_number}: labels {unknown} are not in the export's vocabulary")
            target = torch.zeros(len(vocab))
            target[[index[l] for l in labels]] = 1.0
            items.append((os.path.join(folder, "train", row["fname"]), target, row["is_valid"].strip().lower() == "true"))
    return items


def _biwi(folder):
    cal = np.genfromtxt(os.path.join(folder, "01", "rgb.cal"), skip_footer=6)
    items = []
    for image in sorted(glob.glob(os.path.join(folder, "*", "*_rgb.jpg"))):
        ctr = np.genfromtxt(image.replace("_rgb.jpg", "_pose.txt"), skip_header=3)
        x = ctr[0] * cal[0][0] / ctr[2] + cal[0][2]
        y = ctr[1] * cal[1][1] / ctr[2] + cal[1][2]
        items.append((image, torch.tensor([[x, y]], dtype=torch.float32), os.path.basename(os.path.dirname(image)) == "13"))
    return items


def load_items(folder, config):
    """(image path, target, is_valid) for every item of a bundled-format folder, checked against the export."""
    if config["kind"] == "MultiLabel":
        if not os.path.exists(os.path.join(folder, "train.csv")):
            raise FileNotFoundError(f"{folder!r} has no train.csv: a multi-label export trains on PASCAL-style data")
        return _pascal(folder, config["vocab"])
    if config["kind"] == "Points":
        moving = [t for t in config["itemTransforms"] if t["type"] != "Resize" or t["method"] != "Squish"]
        if moving:
            raise ValueError(f"item transforms {moving} would move the points; this script moves points only through squishing resizes")
        if config["outputs"] != 2:
            raise ValueError(f"the export predicts {config['outputs'] // 2} points; BIWI data has one (the head centre)")
        return _biwi(folder)
    raise ValueError(f"training a {config['kind']} export is not supported by this script")


class ExportDataset(Dataset):
    """Items prepared as the export describes: tensors normalised like the C# pipeline, targets as the loss expects them
    (multi-hot vectors; points scaled to [-1, 1] as fastai's TensorPoint)."""

    def __init__(self, items, config, train):
        self.items, self.config, self.train = items, config, train
        norm = config.get("normalize")
        self.mean = torch.tensor(norm["mean"]).view(3, 1, 1) if norm else None
        self.std = torch.tensor(norm["std"]).view(3, 1, 1) if norm else None

    def __len__(self):
        return len(self.items)

    def _item_transform(self, img):
        for t in self.config["itemTransforms"]:
            h, w = t["height"], t["width"]
            if t["type"] == "RandomResizedCrop":
                if self.train:
                    i, j, ch, cw = _random_crop_box(img, t["minScale"])
                    img = TF.resized_crop(img, i, j, ch, cw, [h, w])
                else:
                    img = _crop_resize(img, h, w)
            elif t["method"] == "Squish":
                img = img.resize((w, h), Image.BILINEAR)
            elif t["method"] == "Crop":
                img = _crop_resize(img, h, w)
            else:  # Pad: fit inside, then pad to the size
                scale = min(w / img.width, h / img.height)
                img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.BILINEAR)
                canvas = Image.new("RGB", (w, h))
                canvas.paste(img, ((w - img.width) // 2, (h - img.height) // 2))
                img = canvas
        if self.config.get("resize"):
            h, w = self.config["resize"]
            img = img.resize((w, h), Image.BILINEAR)
        return img

    def image_tensor(self, original):
        """An RGB image as the model's input: the export's transforms, a flip in multi-label training, normalisation."""
        x = TF.to_tensor(self._item_transform(original))
        if self.train and self.config["kind"] == "MultiLabel" and random.random() < 0.5:
            x = x.flip(-1)
        return (x - self.mean) / self.std if self.mean is not None else x

    def __getitem__(self, i):
        path, target, _ = self.items[i]
        with Image.open(path) as source:
            original = source.convert("RGB")
        x = self.image_tensor(original)
        if self.config["kind"] == "Points":
            # Squished with the image, a point keeps its place relative to the size: scale by the original.
            size = torch.tensor([original.width, original.height], dtype=torch.float32)
            target = (target * 2 / size - 1).reshape(-1)
        return x, target


def _crop_resize(img, h, w):
    scale = max(w / img.width, h / img.height)
    cw, ch = round(w / scale), round(h / scale)
    left, top = (img.width - cw) // 2, (img.height - ch) // 2
    return img.crop((left, top, left + cw, top + ch)).resize((w, h), Image.BILINEAR)


def _random_crop_box(img, min_scale):
    area = img.width * img.height
    for _ in range(10):
        target = area * random.uniform(min_scale, 1.0)
        ratio = np.exp(random.uniform(np.log(3 / 4), np.log(4 / 3)))
        cw, ch = int(round((target * ratio) ** 0.5)), int(round((target / ratio) ** 0.5))
        if 0 < cw <= img.width and 0 < ch <= img.height:
            return random.randint(0, img.height - ch), random.randint(0, img.width - cw), ch, cw
    side = min(img.width, img.height)
    return (img.height - side) // 2, (img.width - side) // 2, side, side
