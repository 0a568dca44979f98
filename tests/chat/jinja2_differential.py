#!/usr/bin/env python3
# jinja2_differential.py: renders each template of a case list with Python Jinja2 (configured as Hugging Face's
# apply_chat_template does) and with `ponder-cli template`, and reports any difference. Exit 77 (skip) without jinja2.
import datetime
import json
import os
import subprocess
import sys
import tempfile

try:
    import jinja2
    import jinja2.ext
    import jinja2.sandbox
except ImportError:
    print("python3-jinja2 not installed: skipping the differential check")
    sys.exit(77)


def reference_env():
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = lambda x, ensure_ascii=False, indent=None, separators=None, sort_keys=False: json.dumps(
        x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.datetime(2026, 1, 15).strftime(fmt)
    return env


CONTEXT = {
    "messages": [
        {"role": "system", "content": " Sys \n"},
        {"role": "user", "content": "Hi <b>&</b> \u6771\u4eac\u3000"},
        {"role": "assistant", "content": "<think>\nr\n</think>\n\nAns"},
        {"role": "user", "content": "x"},
    ],
    "add_generation_prompt": True, "bos_token": "<s>", "eos_token": "</s>", "tools": None,
    "d": {"b": 1, "a": [1, 2.5, None, True, "s'q\""]}, "n": 7, "f": 1e20, "g": 0.0001, "h": 1e-5, "e": "",
}


def main():
    cli, case_file = sys.argv[1], sys.argv[2]
    with open(case_file, encoding="utf-8") as f:
        sources = f.read().split("\n=====\n")
    env = reference_env()
    same = 0
    with tempfile.TemporaryDirectory() as tmp:
        context_path = os.path.join(tmp, "context.json")
        with open(context_path, "w", encoding="utf-8") as f:
            json.dump(CONTEXT, f, ensure_ascii=False)
        template_path = os.path.join(tmp, "t.jinja")
        for index, source in enumerate(sources):
            try:
                expected = env.from_string(source).render(**CONTEXT)
            except Exception as e:  # both must fail; messages may differ
                expected = None
            with open(template_path, "w", encoding="utf-8") as f:
                f.write(source)
            run = subprocess.run([cli, "template", "--template", template_path, "--context", context_path,
                                  "--date", "2026-01-15"], capture_output=True)
            got = run.stdout.decode("utf-8") if run.returncode == 0 else None
            if got == expected:
                same += 1
            else:
                print(f"case {index}: {source!r}\n  jinja2: {expected!r}\n  ponder: {got!r} {run.stderr.decode()}")
    print(f"{same}/{len(sources)} templates render identically in Jinja2 {jinja2.__version__} and ponder-cli")
    return 0 if same == len(sources) else 1


if __name__ == "__main__":
    sys.exit(main())
