"""Rebuild a MultiLabel.Interactive model in plain PyTorch + torchvision (no fastai needed).

``learn.ExportPyTorch("model.pth")`` writes the whole model as a state dict with the names fastai's ``vision_learner``
model has (``0.*`` = the torchvision body by child index, ``1.*`` = fastai's head) and ``model.json`` beside it
(architecture, outputs, y_range, target kind, vocabulary, transforms, normalisation). This module turns the pair back
into an ``nn.Module`` that computes what the C# model computes, and writes one back in the same form.
"""
import json
import os
import struct

import torch
from torch import nn
import torchvision

__all__ = ["build_model", "load_export", "save_export", "read_state_dict", "read_config", "config_path"]


class AdaptiveConcatPool2d(nn.Module):
    """fastai's: max pool and average pool to 1x1, concatenated (max first)."""

    def __init__(self):
        super().__init__()
        self.mp, self.ap = nn.AdaptiveMaxPool2d(1), nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return torch.cat([self.mp(x), self.ap(x)], 1)


class SigmoidRange(nn.Module):
    """fastai's: sigmoid scaled to (low, high)."""

    def __init__(self, low, high):
        super().__init__()
        self.low, self.high = low, high

    def forward(self, x):
        return torch.sigmoid(x) * (self.high - self.low) + self.low


def _body(arch, cntk_layout):
    resnet = getattr(torchvision.models, arch)()
    if cntk_layout:
        # The bundled ImageNet ResNet-18 (a CNTK export) has ResNet-34's layer4: three blocks.
        resnet.layer4 = torchvision.models.resnet34().layer4
    return nn.Sequential(*list(resnet.children())[:-2])  # fastai's create_body: drop avgpool and fc


def _head(features, outputs, y_range, ps=0.5, hidden=512):
    layers = [AdaptiveConcatPool2d(), nn.Flatten(),
              nn.BatchNorm1d(2 * features), nn.Dropout(ps / 2), nn.Linear(2 * features, hidden, bias=False), nn.ReLU(inplace=True),
              nn.BatchNorm1d(hidden), nn.Dropout(ps), nn.Linear(hidden, outputs, bias=False)]
    if y_range is not None:
        layers.append(SigmoidRange(*y_range))
    return nn.Sequential(*layers)


FEATURES = {"resnet18": 512, "resnet34": 512, "resnet50": 2048}


def build_model(config):
    """The model a config describes, with fastai's structure (so its state_dict keys are the export's)."""
    arch = config["arch"]
    if arch not in FEATURES:
        raise ValueError(f"unknown architecture {arch!r}; known: {', '.join(FEATURES)}")
    return nn.Sequential(_body(arch, config.get("cntkLayout", False)),
                         _head(FEATURES[arch], config["outputs"], config.get("yRange")))


def config_path(weights_path):
    return os.path.splitext(weights_path)[0] + ".json"


def read_config(weights_path):
    path = config_path(weights_path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{weights_path!r} has no description beside it: expected {path!r}")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


_SAFETENSORS_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
                       "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}


def _read_safetensors(path):
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    # Debian 12 packages no safetensors for Python; the format is an 8-byte header length, a JSON header and raw
    # little-endian tensors, so reading it takes a few lines.
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    base = 8 + size
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype = _SAFETENSORS_DTYPES[entry["dtype"]]
        flat = torch.frombuffer(bytearray(data[base + start:base + end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(entry["shape"])
    return tensors


def read_state_dict(path):
    if path.endswith(".safetensors"):
        return _read_safetensors(path)
    return torch.load(path, map_location="cpu")


def load_export(path):
    """(model, config) from an export: the state dict must fit the described model exactly."""
    config = read_config(path)
    model = build_model(config)
    state = read_state_dict(path)
    model.load_state_dict(state, strict=True)
    return model, config


def save_export(model, config, path):
    """Writes a model (unwrapped from DDP) and its config the way ExportPyTorch does, each file whole or not at all."""
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    config = dict(config, stateDict={"file": os.path.basename(path), "names": "fastai vision_learner (0 = body by child index, 1 = head)"})
    if path.endswith(".safetensors"):
        raise ValueError("save as .pth (torch.save); the safetensors package is optional here")
    tmp = f"{path}.{os.getpid()}.tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)
    tmp = f"{config_path(path)}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    os.replace(tmp, config_path(path))
