"""datatrove's MinHash deduplication on one JSONL file, for `npm run bench:pipeline`.

    python datatrove_minhash.py --input FILE.jsonl --work DIR --out RESULT.json

Runs in the throwaway venv that test/bench/pipeline-bench.mjs makes
(bench-data/venv-datatrove, datatrove==0.10.1 from PyPI); the bench pins this
process to one core with `taskset -c 0`.

The pipeline is datatrove's own example (examples/minhash_deduplication.py)
with the default MinhashConfig (5-gram word shingles, 14 buckets x 8 hashes,
seed 1, xxhash64: HashConfig(precision=64)), English word tokenizer (spaCy's
blank "en"), LocalPipelineExecutor with workers=1, one stage after the other:

  1. JsonlReader -> MinhashDedupSignature               tasks=1
  2. MinhashDedupBuckets                                tasks=num_buckets (14)
     (datatrove asserts world_size % num_buckets == 0, so this stage cannot run with tasks=1)
  3. MinhashDedupCluster                                tasks=1
  4. JsonlReader -> MinhashDedupFilter(exclusion_writer=JsonlWriter) -> JsonlWriter (gzip)

Only the four executor.run() calls are timed (not the Python start-up or the
imports, reported apart). Afterwards, untimed, it reads:
  - the removed documents' "id" fields from the exclusion writer's output
    (checked against the .remove files of stage 3: uint32 document indices);
  - the .dups files of stage 2, re-clustered here with a plain union-find, to
    get the same connected components datatrove's stage 3 builds.

Which document of a cluster datatrove keeps: stage 3 unions the pairs of each
.dups file (bucket 0..13, each sorted by signature, the pair written as
(earlier, later) in (file, doc index) order) with union BY SIZE: the root of
the larger set becomes the root, ties keep the first element of the pair's
root. Every node that is not its set's root is written to .remove. So for a
pair the lower index is kept, but in a cluster of 3+ the kept document is the
root of whichever partial set was biggest when they merged: not always the
lowest index. Langbridge keeps the lowest id of each cluster. The result
therefore also carries `removed_lowest_kept`: datatrove's clusters with the
lowest index kept, which is what Langbridge's removed set should equal.
"""

import argparse
import gzip
import json
import os
import platform
import struct
import sys
import time
from importlib.metadata import version as pkg_version


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--work", required=True, help="empty folder for datatrove's files (removed first if present)")
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--collect-only",
        metavar="STAGE_SECONDS_JSON",
        help="do not run the stages: read what an earlier run left in --work, with its stage times given as JSON",
    )
    args = ap.parse_args()

    t_import = time.perf_counter()
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashing import HashConfig
    from datatrove.utils.typeshelper import Languages

    import_s = time.perf_counter() - t_import

    src = os.path.abspath(args.input)
    work = os.path.abspath(args.work)
    if args.collect_only:
        if not os.path.isdir(work):
            sys.exit(f"--collect-only: {work} holds no earlier run")
    else:
        if os.path.exists(work):
            import shutil

            shutil.rmtree(work)
        os.makedirs(work)
    sigs, buckets, remove, logs = (os.path.join(work, d) for d in ("signatures", "buckets", "remove_ids", "logs"))
    output, removed = os.path.join(work, "deduplicated_output"), os.path.join(work, "removed")

    config = MinhashConfig(hash_config=HashConfig(precision=64))

    def reader():
        return JsonlReader(os.path.dirname(src), glob_pattern=os.path.basename(src), recursive=False)

    stages = [
        (
            "signature",
            LocalPipelineExecutor(
                pipeline=[reader(), MinhashDedupSignature(output_folder=sigs, config=config, language=Languages.english)],
                tasks=1,
                workers=1,
                logging_dir=os.path.join(logs, "signatures"),
            ),
        ),
        (
            "buckets",
            LocalPipelineExecutor(
                pipeline=[MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=config)],
                tasks=config.num_buckets,
                workers=1,
                logging_dir=os.path.join(logs, "buckets"),
            ),
        ),
        (
            "cluster",
            LocalPipelineExecutor(
                pipeline=[MinhashDedupCluster(input_folder=buckets, output_folder=remove, config=config)],
                tasks=1,
                workers=1,
                logging_dir=os.path.join(logs, "clusters"),
            ),
        ),
        (
            "filter",
            LocalPipelineExecutor(
                pipeline=[
                    reader(),
                    MinhashDedupFilter(input_folder=remove, exclusion_writer=JsonlWriter(removed)),
                    JsonlWriter(output_folder=output),
                ],
                tasks=1,
                workers=1,
                logging_dir=os.path.join(logs, "filter"),
            ),
        ),
    ]
    stage_s = {}
    if args.collect_only:
        stage_s = json.loads(args.collect_only)
    else:
        for name, ex in stages:
            t0 = time.perf_counter()
            ex.run()
            stage_s[name] = time.perf_counter() - t0
    total_s = sum(stage_s.values())

    # ---- untimed: what was removed, and the clusters
    removed_ids = []
    for root, _, files in os.walk(removed):
        for f in sorted(files):
            opener = gzip.open if f.endswith(".gz") else open
            with opener(os.path.join(root, f), "rt", encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        removed_ids.append(json.loads(line)["id"])
    remove_idx = []
    remove_file = os.path.join(remove, "000000.remove")
    if os.path.exists(remove_file):
        with open(remove_file, "rb") as fh:
            data = fh.read()
        remove_idx = list(struct.unpack(f"<{len(data) // 4}I", data))
    # The bench's ids are the 0-based line numbers, and datatrove's doc index counts the documents it read.
    ids_are_indices = sorted(int(x) for x in removed_ids) == sorted(remove_idx)

    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs = 0
    for f in sorted(os.listdir(buckets)):
        if not f.endswith(".dups"):
            continue
        with open(os.path.join(buckets, f), "rb") as fh:
            data = fh.read()
        for f1, d1, f2, d2 in struct.iter_unpack("<4I", data):
            pairs += 1
            a, b = find((f1, d1)), find((f2, d2))
            if a != b:
                parent[max(a, b)] = min(a, b)
    clusters = {}
    for node in parent:
        clusters.setdefault(find(node), []).append(node[1])
    removed_lowest = sorted(d for members in clusters.values() for d in sorted(members)[1:])
    remove_set = set(remove_idx)
    kept_not_lowest = sum(1 for members in clusters.values() if min(members) in remove_set)
    sizes = {}
    for members in clusters.values():
        sizes[len(members)] = sizes.get(len(members), 0) + 1

    docs_in = None
    stats_file = os.path.join(logs, "signatures", "stats.json")
    try:
        with open(stats_file) as fh:
            for step in json.load(fh):
                total = step.get("stats", {}).get("total")
                if total is not None:
                    docs_in = total["total"] if isinstance(total, dict) else total
                    break
    except Exception:  # noqa: BLE001 - the count is informational
        pass

    result = {
        "tool": "datatrove",
        "versions": {
            "datatrove": pkg_version("datatrove"),
            "spacy": pkg_version("spacy"),
            "numpy": pkg_version("numpy"),
            "xxhash": pkg_version("xxhash"),
            "python": platform.python_version(),
        },
        "config": str(config),
        "affinity": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "docs_in": docs_in,
        "import_s": import_s,
        "stage_s": stage_s,
        "total_s": total_s,
        "dup_pairs": pairs,
        "clusters": len(clusters),
        "cluster_sizes": {str(k): v for k, v in sorted(sizes.items())},
        "clusters_kept_not_lowest": kept_not_lowest,
        "ids_are_indices": ids_are_indices,
        "removed": sorted(int(x) for x in removed_ids),
        "removed_lowest_kept": removed_lowest,
    }
    with open(args.out, "w") as fh:
        json.dump(result, fh)
    print(
        f"datatrove: {docs_in} docs in {total_s:.2f} s "
        + ", ".join(f"{k} {v:.2f}" for k, v in stage_s.items())
        + f"; removed {len(removed_ids)}; {len(clusters)} clusters, {kept_not_lowest} keep a doc that is not the lowest",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
