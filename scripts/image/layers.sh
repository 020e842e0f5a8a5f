#!/usr/bin/env bash
# Prints an image's layers with their unpacked sizes, oldest first (the table in the README).
# Usage: scripts/image/layers.sh [IMAGE]   (default: the image `make image` builds)
set -euo pipefail
source "$(dirname "$0")/common.sh"
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=VOKTER_IMAGE "$0" "$@"; fi
image="${1:-$IMAGE_NAME}"

# The image's configuration names its layers by digest, in order, beside the history of the
# steps that made them; the storage's layer records hold each digest's unpacked size.
buildah inspect --type image "$image" | python3 -c '
import json, sys
image = json.load(sys.stdin)
with open(sys.argv[1]) as records:
    sizes = {layer["diff-digest"]: layer["diff-size"] for layer in json.load(records)}
steps = [step for step in image["OCIv1"]["history"] if not step.get("empty_layer")]
digests = image["OCIv1"]["rootfs"]["diff_ids"]
if len(steps) != len(digests):
    sys.exit(f"layers: {len(digests)} layers but {len(steps)} steps that made one")
total = 0
for step, digest in zip(steps, digests):
    size = sizes[digest]
    total += size
    made_by = step.get("created_by", "").replace("#(nop) ", "")
    made_by = " ".join(made_by[made_by.find("/bin/sh -c ") + 11:].split() if "/bin/sh -c " in made_by else made_by.split())
    print(f"{size / 1e6:8.1f} MB  {made_by[:100]}")
print(f"{total / 1e6:8.1f} MB  in all")
' "$IMAGE_DIR/storage/overlay-layers/layers.json"
