"""`eval`: generation, multiple choice and text log-likelihood against direct computations, resume,
cancel and the errors a person can make in a spec or an items file. CPU, the tiny random Qwen2."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from conftest import of_kind, read_events, validate_events

from langbridge_trainer import eval_score
from langbridge_trainer.__main__ import main
from langbridge_trainer.eval_spec import Item, read_done
from langbridge_trainer.model import load_model, load_tokenizer

ROOT = Path(__file__).resolve().parents[1]
CPU = torch.device("cpu")
PERIOD_NEWLINE = ".\n"  # one Qwen token (".Ċ"): the stop string ends inside it, after the text to keep


@pytest.fixture(scope="module")
def lm(tiny_model):
    from tokenizers import Tokenizer
    from transformers import GenerationConfig

    tok = load_tokenizer(tiny_model)
    model = load_model(tiny_model, torch.float32, "sdpa").eval()
    model.generation_config = GenerationConfig(eos_token_id=[tok.eos_token_id], pad_token_id=tok.pad_token_id)
    backend = Tokenizer.from_str(tok.backend_tokenizer.to_str())
    backend.encode_special_tokens = True
    return model, tok, backend


@pytest.fixture
def newline_prone(lm):
    """The random model rarely writes a newline; raising one newline token's logit makes rows stop at
    different steps (found by trying: +1.0 stops these prompts after 1 to 9 tokens, or not at all)."""
    model, tok, _ = lm
    boosted = tok.convert_tokens_to_ids(".Ċ")
    assert tok.decode([boosted]) == PERIOD_NEWLINE

    def hook(module, inputs, output):  # noqa: ARG001
        output[..., boosted] += 1.0
        return output

    handle = model.lm_head.register_forward_hook(hook)
    yield model
    handle.remove()


def greedy_reference(model, tok, prompt: str, max_new: int, stop: str) -> dict:
    """Greedy decoding without batching, padding or KV cache: the full sequence through the model each step."""
    ids = tok(prompt, add_special_tokens=False)["input_ids"]
    out, logprob = [], 0.0
    with torch.no_grad():
        for _ in range(max_new):
            logits = model(torch.tensor([ids + out])).logits[0, -1].float()
            t = int(logits.argmax())
            logprob += float(torch.log_softmax(logits, -1)[t])
            out.append(t)
            if t == tok.eos_token_id or stop in tok.decode(out):
                break
    text = tok.decode(out, skip_special_tokens=True)
    return {"text": text.split(stop)[0].strip(), "tokens": len(out), "logprob": logprob}


def test_batched_generation_equals_greedy_alone_and_stops_at_the_newline(lm, newline_prone):
    _, tok, _ = lm
    prompts = ["English sentence: Hello there, my friend.\nSwahili sentence:", "a b c", "Jambo", "1 2 3 4 5 6 7 8 9 10 11 12",
               "The quick brown fox jumps over the lazy dog and"]
    items = [Item(id=f"g{k}", type="generate", line=k + 1, prompt=p, max_new_tokens=6 if k == 2 else 12,
                  stop=("\n",)) for k, p in enumerate(prompts)]
    got = {r["id"]: r for r in eval_score.generate(newline_prone, tok, items, [tok.eos_token_id], tok.pad_token_id, CPU)}
    stopped = 0
    for item in items:
        want = greedy_reference(newline_prone, tok, item.prompt, item.max_new_tokens, "\n")
        g = got[item.id]
        assert (g["text"], g["tokens"]) == (want["text"], want["tokens"]), item.prompt
        assert g["logprob"] == pytest.approx(want["logprob"], abs=1e-3)
        assert g["meanLogprob"] == pytest.approx(g["logprob"] / g["tokens"])
        assert "\n" not in g["text"]
        stopped += g["tokens"] < item.max_new_tokens
    # The batch really mixes rows that stopped early (at different steps) with rows that ran to their limit.
    assert 2 <= stopped < len(items)
    assert any(g["text"].endswith(".") for g in got.values())  # the text before "\n" in ".\n" is kept


def choice_reference(model, tok, context: str, continuation: str) -> tuple[float, bool]:
    stripped = context.rstrip()
    continuation = context[len(stripped):] + continuation
    ctx = tok(stripped, add_special_tokens=False)["input_ids"] if stripped else [tok.eos_token_id]
    whole = tok(stripped + continuation, add_special_tokens=False)["input_ids"]
    cont = whole[len(ctx):] if stripped else tok(continuation, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        logp = torch.log_softmax(model(torch.tensor([ctx + cont])).logits[0].float(), -1)
    rows = logp[len(ctx) - 1:len(ctx) - 1 + len(cont)]
    return float(rows[torch.arange(len(cont)), torch.tensor(cont)].sum()), bool((rows.argmax(-1) == torch.tensor(cont)).all())


def test_choice_logliks_equal_a_direct_computation(lm):
    model, tok, _ = lm
    items = [
        Item(id="belebele", type="choices", line=1, context="P: Mvua ilinyesha.\nQ: Nini?\nA: mvua\nB: jua\nC: upepo\nD: theluji\nAnswer:",
             continuations=(" A", " B", " C", " D")),
        Item(id="xcopa", type="choices", line=2, context="The man broke his toe because ",  # trailing space moves over
             continuations=("he dropped a hammer on his foot.", "he got a hole in his sock.")),
        Item(id="empty", type="choices", line=3, context="", continuations=("Hello world", "Goodbye")),
    ]
    got = eval_score.score_choices(model, tok, items, tok.pad_token_id, tok.eos_token_id, CPU)
    for item, g in zip(items, got):
        want = [choice_reference(model, tok, item.context, c) for c in item.continuations]
        assert g["logliks"] == pytest.approx([w[0] for w in want], abs=1e-4)
        assert g["greedy"] == [w[1] for w in want]
    # The one-token answers of a question share one row, as in lm-eval.
    ids, reads = eval_score.continuation_reads(tok, items[0].context, " A", 2048, tok.eos_token_id)
    assert reads == [(len(ids) - 1, tok(" A", add_special_tokens=False)["input_ids"][0])]


def test_text_nll_equals_the_model_loss_times_tokens_and_windows_score_every_token_once(lm, monkeypatch):
    model, tok, backend = lm
    text = "Haki za binadamu ni za kila mtu. ሰላም ለዓለም።"
    item = Item(id="t", type="loglik-text", line=1, lang="swh_Latn", text=text)
    got = eval_score.score_texts(model, backend, [item], tok.eos_token_id, tok.pad_token_id, CPU)[0]
    ids = tok(text, add_special_tokens=True)["input_ids"] + [tok.eos_token_id]
    with torch.no_grad():
        loss = float(model(torch.tensor([ids]), labels=torch.tensor([ids])).loss)
    assert got["tokens"] == len(ids) - 1 and got["characters"] == len(text) == 42  # code points (58 UTF-8 bytes)
    assert len(text.encode()) == 58
    assert got["nll"] == pytest.approx(loss * (len(ids) - 1), rel=1e-5)

    monkeypatch.setattr(eval_score, "DEFAULT_MAX_LENGTH", 8)  # windows of 8 tokens, overlapping by one
    windowed = eval_score.score_texts(model, backend, [item], tok.eos_token_id, tok.pad_token_id, CPU, max_rows=2)[0]
    want = 0.0
    with torch.no_grad():
        for start in range(0, len(ids) - 1, 7):
            w = torch.tensor([ids[start:start + 8]])
            want += float(model(w, labels=w).loss) * (w.shape[1] - 1)
    assert windowed["tokens"] == len(ids) - 1
    assert windowed["nll"] == pytest.approx(want, rel=1e-5)


def write_run(tmp_path: Path, tiny_model: Path, items: list[dict], name: str = "run", **fields) -> Path:
    run = tmp_path / name
    run.mkdir()
    (run / "items.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    spec = {"specVersion": 1, "kind": "eval", "model": str(tiny_model), "adapter": None, "runDir": str(run),
            "items": str(run / "items.jsonl"), "device": "cpu", "precision": "auto", "batchSize": None,
            "maxNewTokens": 8, **fields}
    (run / "spec.json").write_text(json.dumps(spec))
    return run


def mixed_items(n: int) -> list[dict]:
    out = []
    for k in range(n):
        out.append({"id": f"gen:{k}", "type": "generate", "prompt": f"Sentence {k}: hello", "maxNewTokens": 4,
                    "stop": ["\n"]})
        out.append({"id": f"mc:{k}", "type": "choices", "context": f"Question {k}? Answer:",
                    "continuations": [" A", " B"]})
        out.append({"id": f"bpc:{k}", "type": "loglik-text", "lang": "eng_Latn", "text": f"Text number {k} here."})
    return out


def outputs(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "outputs.jsonl").read_text(encoding="utf-8").splitlines()]


def test_resume_skips_the_ids_already_scored_and_cuts_a_torn_line(tmp_path, tiny_model):
    run = write_run(tmp_path, tiny_model, mixed_items(3))
    assert main(["eval", "--spec", str(run / "spec.json")]) == 0
    first = outputs(run)
    assert sorted(o["id"] for o in first) == sorted(i["id"] for i in mixed_items(3))
    # Keep 5 lines and half of the sixth, as a process killed mid-write would.
    lines = (run / "outputs.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (run / "outputs.jsonl").write_text("".join(lines[:5]) + lines[5][:17], encoding="utf-8")
    assert main(["eval", "--resume", str(run)]) == 0
    again = outputs(run)
    assert again[:5] == first[:5] and len(again) == len(first)
    before = {o["id"]: o for o in first}
    for o in again:  # rescored in other batches (other padding): equal up to float rounding
        b = before[o["id"]]
        assert o.keys() == b.keys()
        for k, v in o.items():
            assert v == (pytest.approx(b[k], abs=1e-4) if isinstance(v, (float, list)) and k != "greedy" else b[k])
    events = read_events(run)
    validate_events(events)
    started = of_kind(events, "started")
    assert [s["done"] for s in started] == [0, 5] and started[1]["items"] == 9
    assert of_kind(events, "finished")[-1]["status"] == "succeeded"
    assert of_kind(events, "finished")[-1]["items"] == 9
    # A second --spec on the same folder would score everything again: refused.
    assert main(["eval", "--spec", str(run / "spec.json")]) == 1


def test_sigterm_finishes_the_batch_and_leaves_a_resumable_file(tmp_path, tiny_model):
    items = [{"id": f"t{k}", "type": "loglik-text", "lang": "eng_Latn", "text": f"Document {k} of many."}
             for k in range(400)]
    run = write_run(tmp_path, tiny_model, items, batchSize=2)
    proc = subprocess.Popen([sys.executable, "-m", "langbridge_trainer", "eval", "--spec", str(run / "spec.json")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if json.loads(line).get("task") == "evaluate":
                proc.send_signal(signal.SIGTERM)
                break
        lines += proc.stdout.readlines()
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == 0
    events = [json.loads(line) for line in lines]
    validate_events(events)
    assert read_events(run) == events  # stdout and events.jsonl carry the same events
    finished = events[-1]
    assert finished["kind"] == "finished" and finished["status"] == "cancelled"
    done = outputs(run)  # whole lines only, whole batches of 2 (usually 2: the signal comes as the first one runs)
    assert len(done) == finished["items"] < 400 and len(done) % 2 == 0
    assert read_done(run / "outputs.jsonl") == {o["id"] for o in done}  # what a resume skips


def test_lora_checkpoint_is_merged_onto_its_base(tmp_path, tiny_model, lm):
    from peft import LoraConfig, get_peft_model

    _, tok, _ = lm
    base = load_model(tiny_model, torch.float32, "sdpa")
    torch.manual_seed(0)
    peft = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"],
                                           init_lora_weights=False))  # random B: the adapter changes the scores
    adapter = tmp_path / "adapter"
    peft.save_pretrained(str(adapter))
    text = "A short text for the adapter."
    run = write_run(tmp_path, adapter, [{"id": "t", "type": "loglik-text", "lang": "eng_Latn", "text": text}],
                    baseModel=str(tiny_model))
    assert main(["eval", "--spec", str(run / "spec.json")]) == 0
    ids = torch.tensor([tok(text)["input_ids"] + [tok.eos_token_id]])
    with torch.no_grad():
        want = float(peft.eval()(input_ids=ids, labels=ids).loss) * (ids.shape[1] - 1)
        plain = float(load_model(tiny_model, torch.float32, "sdpa")(input_ids=ids, labels=ids).loss) * (ids.shape[1] - 1)
    got = outputs(run)[0]["nll"]
    assert got == pytest.approx(want, rel=1e-4) and abs(got - plain) > 1e-3
    validate_events(read_events(run))


@pytest.mark.parametrize(("line", "message"), [
    ({"id": "x", "type": "gen", "prompt": "p"}, "items.jsonl line 2: unknown type 'gen'"),
    ({"id": "x", "type": "generate", "promt": "p"}, "items.jsonl line 2: unknown field 'promt'"),
    ({"id": "x", "type": "choices", "context": "c", "continuations": []}, "items.jsonl line 2: 'continuations'"),
    ({"id": "a", "type": "loglik-text", "lang": "eng_Latn", "text": "t"}, "items.jsonl line 2: id \"a\" was already used on line 1"),
    ("{not json", "items.jsonl line 2: not valid JSON"),
])
def test_bad_items_name_the_file_and_line(tmp_path, tiny_model, capsys, line, message):
    run = write_run(tmp_path, tiny_model, [{"id": "a", "type": "loglik-text", "lang": "eng_Latn", "text": "t"}])
    with open(run / "items.jsonl", "a", encoding="utf-8") as f:
        f.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    assert main(["eval", "--spec", str(run / "spec.json")]) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    validate_events([error])
    assert error["kind"] == "error" and error["classification"] == "bad_data"
    assert str(run / message) in error["message"]
    assert not (run / "outputs.jsonl").exists() or not (run / "outputs.jsonl").read_text()


@pytest.mark.parametrize(("fields", "field"), [
    ({"maxNewToken": 5}, "maxNewToken"),
    ({"kind": "train"}, "kind"),
    ({"device": "tpu"}, "device"),
    ({"batchSize": 0}, "batchSize"),
    ({"adapter": "/nonexistent/adapter"}, "adapter"),
])
def test_bad_spec_names_the_field(tmp_path, tiny_model, capsys, fields, field):
    run = write_run(tmp_path, tiny_model, mixed_items(1), **fields)
    assert main(["eval", "--spec", str(run / "spec.json")]) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    validate_events([error])
    assert error["classification"] == "bad_spec" and f"spec field '{field}'" in error["message"]


def test_a_lora_checkpoint_without_its_base_is_refused(tmp_path, tiny_model, capsys):
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text("{}")
    run = write_run(tmp_path, adapter, mixed_items(1))
    assert main(["eval", "--spec", str(run / "spec.json")]) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert error["classification"] == "bad_spec" and "baseModel" in error["message"] and str(adapter) in error["message"]
