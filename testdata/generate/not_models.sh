#!/usr/bin/env bash
# Files that are not models but are found under a model's name (issue 16 point 9): a Git LFS pointer
# (what a clone without `git lfs pull` leaves) and an HTML error page (what a failed download saves).
# Other kinds (pickle, PyTorch zip, safetensors, SavedModel, GraphDef, TFLite, GGUF) are made by
# NotAModelTest itself; FIFOs, device links, folders and sparse files by SpecialFilesTest.
set -euo pipefail
out="$(dirname "$0")/../not-models"
mkdir -p "$out"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 553438055\n' \
  > "$out/lfs-pointer.onnx"
cat > "$out/error-page.onnx" <<'HTML'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>404 Not Found</title>
</head>
<body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body>
</html>
HTML
