"""The PEM engine: pure functions from daily frames to features, the per-person delayed
response model, the energy envelope, boom-bust and crash detection, and their backtests.
No I/O here: callers pass frames in and get frames or small results back."""
