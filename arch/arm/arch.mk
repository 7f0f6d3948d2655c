# arm64: not yet built (see the arm64 issue).
ARCH_UNSUPPORTED := arm64 support is not written yet
