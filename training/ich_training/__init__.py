"""PatchFCN training, noisy-student pseudo-labelling and ONNX export for IchFunctions."""

__version__ = "0.1.0"
