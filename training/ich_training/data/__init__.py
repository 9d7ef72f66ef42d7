"""Readers for CT series, masks and labels, and the training samples drawn from them."""
