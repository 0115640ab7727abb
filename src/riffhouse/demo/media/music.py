"""Demo music: additive and FM voices, a sequencer, reverb, FLAC."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import av
import numpy as np

from riffhouse.demo.media.common import rngs, theme_index
from riffhouse.demo.media.pictures.drawing import f32

RATE = 44100


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


@dataclass(frozen=True)
class _Note:
    start: float  # seconds
    length: float  # seconds held
    pitch: float  # MIDI note number
    voice: str
    level: float = 1.0
    pan: float = 0.0  # -1 left .. 1 right


def _envelope(n: int, attack: float, hold: int, release: float, decay: float = 0.0) -> np.ndarray:
    """Attack, optional exponential decay while held, and a smooth release after `hold` samples."""
    t = np.arange(n, dtype=np.float32) / RATE
    env = np.minimum(1.0, t / max(attack, 1e-4))
    env = 0.5 - 0.5 * np.cos(np.pi * env)  # an S-shaped attack: no clicks
    if decay:
        env *= np.exp(-t / decay)
    tail = t - hold / RATE
    fade = np.clip(1 - tail / max(release, 1e-4), 0, 1) ** 2
    return f32(env * np.where(tail > 0, fade, 1.0))


_TABLE_SIZE = 4096


def _table(partials: tuple[tuple[int, float], ...]) -> np.ndarray:
    """One cycle of a waveform from (harmonic, amplitude) pairs, peak 1, one sample of wrap."""
    phase = np.arange(_TABLE_SIZE + 1) / _TABLE_SIZE * 2 * np.pi
    wave = np.zeros(_TABLE_SIZE + 1)
    for harmonic, amplitude in partials:
        wave += amplitude * np.sin(harmonic * phase)
    return f32(wave / np.max(np.abs(wave)))


def _oscillator(
    table: np.ndarray, freq: float, n: int, vibrato: float = 0.0, delay: float = 0.3
) -> np.ndarray:
    """Play a wavetable at a frequency, with optional delayed vibrato (relative depth)."""
    t = np.arange(n) / RATE
    phase = freq * t
    if vibrato:
        depth = vibrato * np.clip((t - delay) / 0.4, 0, 1)
        phase = phase + np.cumsum(depth * np.sin(2 * np.pi * 5.2 * t)) * freq / RATE
    pos = (phase % 1.0) * _TABLE_SIZE
    i = pos.astype(np.int64)
    f = (pos - i).astype(np.float32)
    return f32(table[i] * (1 - f) + table[i + 1] * f)


def _band_limited(
    partials: tuple[tuple[int, float], ...], freq: float, ceiling: float = 7000.0
) -> tuple[tuple[int, float], ...]:
    """Only the harmonics below a ceiling: no aliasing, nothing shrill."""
    return tuple((n, a) for n, a in partials if n * freq < ceiling)


def _voice(name: str, pitch: float, length: float) -> np.ndarray:
    """Render one note of an instrument as mono float32 samples (including its release)."""
    freq = _hz(pitch)
    hold = int(length * RATE)
    if name == "pad":  # warm, slow strings: two detuned saw-like tables
        partials = _band_limited(tuple((n, 1 / n**1.6) for n in range(1, 10)), freq, 5000)
        n = hold + int(1.6 * RATE)
        table = _table(partials)
        wave = _oscillator(table, freq * 1.003, n) + _oscillator(table, freq * 0.997, n)
        return f32(wave * 0.5 * _envelope(n, 0.9, hold, 1.6))
    if name == "bell":  # soft FM bell
        n = hold + int(2.2 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        index = 1.4 * np.exp(-t * 3.0)
        wave = np.sin(2 * np.pi * freq * t + index * np.sin(2 * np.pi * freq * 3.5 * t))
        return f32(wave * _envelope(n, 0.004, hold, 2.2, decay=1.1))
    if name == "epiano":  # FM electric piano with a gentle bark
        n = hold + int(0.6 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        index = 0.25 + 1.1 * np.exp(-t * 6.0)
        wave = np.sin(2 * np.pi * freq * t + index * np.sin(2 * np.pi * freq * t))
        wave += 0.12 * np.sin(2 * np.pi * freq * 4.0 * t) * np.exp(-t * 14)
        return f32(wave * _envelope(n, 0.003, hold, 0.5, decay=1.6))
    if name == "pluck":  # harp: harmonics that fade faster the higher they are
        n = hold + int(1.8 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        wave = np.zeros(n, np.float32)
        for k in range(1, 9):
            if k * freq > 8000:
                break
            wave += np.sin(2 * np.pi * freq * k * t) * np.exp(-t * (1.2 + 1.1 * k)) / k**1.3
        return f32(wave * _envelope(n, 0.003, hold, 1.8))
    if name == "flute":
        partials = _band_limited(((1, 1.0), (2, 0.22), (3, 0.08), (4, 0.03)), freq)
        n = hold + int(0.35 * RATE)
        wave = _oscillator(_table(partials), freq, n, vibrato=0.004, delay=0.25)
        return f32(wave * _envelope(n, 0.09, hold, 0.3))
    if name == "vibes":  # sine with tremolo
        n = hold + int(1.5 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        wave = np.sin(2 * np.pi * freq * t)
        wave += 0.25 * np.sin(2 * np.pi * freq * 4 * t) * np.exp(-t * 5)
        wave *= 1 - 0.25 * (0.5 + 0.5 * np.sin(2 * np.pi * 4.5 * t))
        return f32(wave * _envelope(n, 0.005, hold, 1.2, decay=1.3))
    if name in ("pulse", "lead"):  # chiptune square waves, band-limited and softened
        duty = 0.25 if name == "pulse" else 0.5
        series = ((k, math.sin(math.pi * k * duty) / k * 0.93**k) for k in range(1, 24))
        partials = _band_limited(tuple(p for p in series if abs(p[1]) > 1e-6), freq, 5500)
        n = hold + int(0.06 * RATE)
        wave = _oscillator(_table(partials), freq, n, vibrato=0.006 if name == "lead" else 0.0)
        env = _envelope(n, 0.004, hold, 0.05)
        sustain = 0.55 + 0.45 * np.exp(-np.arange(n, dtype=np.float32) / RATE / 0.12)
        return f32(wave * env * sustain)
    if name == "triangle":
        partials = _band_limited(tuple((k, (-1) ** (k // 2) / k**2) for k in range(1, 16, 2)), freq)
        n = hold + int(0.04 * RATE)
        return f32(_oscillator(_table(partials), freq, n) * _envelope(n, 0.004, hold, 0.03))
    if name == "bass":  # round plucked bass
        n = hold + int(0.25 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        wave = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(4 * np.pi * freq * t) * np.exp(-t * 6)
        wave += 0.1 * np.sin(6 * np.pi * freq * t) * np.exp(-t * 10)
        return f32(wave * _envelope(n, 0.006, hold, 0.2, decay=1.4))
    if name == "sub":
        n = hold + int(1.2 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        wave = np.sin(2 * np.pi * freq * t) + 0.15 * np.sin(4 * np.pi * freq * t)
        return f32(wave * _envelope(n, 0.4, hold, 1.2))
    raise ValueError(f"Unknown voice {name!r}")


def _filtered_noise(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """White noise with everything outside a frequency band removed, peak 1."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    spectrum *= (freqs >= low) & (freqs <= high)
    out = np.fft.irfft(spectrum, n)
    return f32(out / (np.max(np.abs(out)) + 1e-9))


def _drum(name: str, rng: np.random.Generator) -> np.ndarray:
    """Soft percussion from sine sweeps and band-limited noise."""
    if name == "kick":
        n = int(0.45 * RATE)
        t = np.arange(n) / RATE
        freq = 44 + 80 * np.exp(-t * 28)
        phase = 2 * np.pi * np.cumsum(freq) / RATE
        return f32(np.sin(phase) * np.exp(-t * 7) * np.minimum(1, t / 0.002))
    if name == "snare":
        n = int(0.3 * RATE)
        t = np.arange(n) / RATE
        body = np.sin(2 * np.pi * 185 * t) * np.exp(-t * 25) * 0.5
        noise = _filtered_noise(rng, n, 900, 7000) * np.exp(-t * 16)
        return f32((body + noise * 0.8) * np.minimum(1, t / 0.002))
    if name == "hat":
        n = int(0.12 * RATE)
        t = np.arange(n) / RATE
        return f32(_filtered_noise(rng, n, 6500, 13000) * np.exp(-t * 45))
    if name == "shaker":
        n = int(0.18 * RATE)
        t = np.arange(n) / RATE
        env = np.minimum(1, t / 0.02) * np.exp(-t * 22)
        return f32(_filtered_noise(rng, n, 3500, 10000) * env)
    if name == "ride":
        n = int(0.9 * RATE)
        t = np.arange(n) / RATE
        ping = sum(np.sin(2 * np.pi * f * t) for f in (3120, 4430, 5310)) / 3 * np.exp(-t * 6)
        wash = _filtered_noise(rng, n, 5000, 12000) * np.exp(-t * 4)
        return f32((wash * 0.7 + ping * 0.3) * np.minimum(1, t / 0.001))
    if name == "brush":
        n = int(0.35 * RATE)
        t = np.arange(n) / RATE
        env = np.minimum(1, t / 0.03) * np.exp(-t * 10)
        return f32(_filtered_noise(rng, n, 1500, 8000) * env)
    if name == "wind":
        n = int(8 * RATE)
        t = np.arange(n) / RATE
        env = np.sin(np.pi * t / t[-1]) ** 2
        return f32(_filtered_noise(rng, n, 200, 1400) * env)
    raise ValueError(f"Unknown drum {name!r}")


def _chord_tones(root: int, shape: tuple[int, ...], low: int, high: int) -> list[int]:
    """Every note of a chord between two MIDI pitches."""
    classes = {(root + step) % 12 for step in shape}
    return [p for p in range(low, high + 1) if p % 12 in classes]


def _melody(
    rnd: random.Random,
    chords: list[tuple[int, tuple[int, ...]]],
    scale: tuple[int, ...],
    key: int,
    beats_per_bar: int,
    rhythms: list[tuple[float, ...]],
    span: tuple[int, int],
) -> list[tuple[float, float, int]]:
    """A phrase over the chords as (beat, beats held, pitch).

    Chord tones fall on strong beats and steps or small leaps connect them; the last bar
    comes to rest on the root of its chord.
    """
    low, high = span
    notes = []
    scale_notes = [p for p in range(low, high + 1) if (p - key) % 12 in scale]
    current = scale_notes[len(scale_notes) // 2]
    for bar, (root, shape) in enumerate(chords):
        last = bar == len(chords) - 1
        rhythm = (float(beats_per_bar),) if last else rnd.choice(rhythms)
        beat = 0.0
        for k, length in enumerate(rhythm):
            if length < 0:  # a rest
                beat -= length
                continue
            strong = k == 0 or beat == beats_per_bar / 2
            if last:
                pool = _chord_tones(root, (0,), low, high)
            elif strong:
                pool = _chord_tones(root, shape, low, high)
            else:
                pool = scale_notes
            near = sorted(pool, key=lambda p: (abs(p - current), p))[:3]
            choice = near[0] if rnd.random() < 0.45 else rnd.choice(near)
            if choice == current and len(near) > 1 and rnd.random() < 0.6:
                choice = near[1]
            current = choice
            notes.append((bar * beats_per_bar + beat, length, current))
            beat += length
    return notes


@dataclass(frozen=True)
class _Style:
    bpm: float
    beats: int  # per bar
    key: int  # MIDI note of the tonic
    transpose: tuple[int, ...]  # a seed picks one
    progression: tuple[tuple[int, tuple[int, ...]], ...]  # (root offset, chord shape) per bar
    reverb: float
    room: float  # seconds for the tail to fall by 60 dB
    delay: float = 0.0
    fade_in: float = 1.0


_MAJ, _MIN = (0, 4, 7), (0, 3, 7)
_STYLES = {
    # dreamy Lydian pads and bells
    "space": _Style(
        70.0,
        4,
        50,
        (0, 2, -2),
        ((0, (0, 4, 7, 11, 14)), (2, _MAJ), (-3, (0, 3, 7, 10, 14)), (-5, (0, 4, 7, 11, 18))),
        reverb=0.7,
        room=3.2,
        delay=0.45,
        fade_in=2.5,
    ),
    # a minor waltz: i - VI - III - VII
    "fantasy": _Style(
        96.0,
        3,
        50,
        (0, 2, -3),
        ((0, _MIN), (-4, _MAJ), (3, _MAJ), (-2, _MAJ)),
        reverb=0.45,
        room=2.2,
        fade_in=1.2,
    ),
    # bright chiptune: I - V - vi - IV
    "games": _Style(
        138.0,
        4,
        60,
        (0, 2, -3),
        ((0, _MAJ), (7, _MAJ), (9, _MIN), (5, _MAJ)),
        reverb=0.22,
        room=1.0,
        delay=0.2,
        fade_in=0.4,
    ),
    # lounge jazz: ii9 - V9 - Imaj9 - VI7b9
    "money": _Style(
        92.0,
        4,
        53,
        (0, -2, 2),
        (
            (2, (0, 3, 7, 10, 14)),
            (7, (0, 4, 7, 10, 14)),
            (0, (0, 4, 7, 11, 14)),
            (9, (0, 4, 7, 10, 13)),
        ),
        reverb=0.35,
        room=1.6,
        fade_in=0.8,
    ),
}


def _compose(
    theme: str, rnd: random.Random, seconds: float
) -> tuple[list[_Note], list[tuple[float, str, float, float]], _Style, float]:
    """The notes and drum hits (start, name, level, pan) of a piece; its style; the beat length."""
    style = _STYLES[theme]
    notes: list[_Note] = []
    hits: list[tuple[float, str, float, float]] = []
    key = style.key + rnd.choice(style.transpose)
    progression = list(style.progression)
    if rnd.random() < 0.5:  # the same chords in another order keep seeds apart
        progression = progression[:1] + progression[:0:-1]
    beat = 60.0 / style.bpm
    bar = beat * style.beats
    bars = math.ceil(seconds / bar) + 1

    def chord(index: int) -> tuple[int, tuple[int, ...]]:
        offset, shape = progression[index % len(progression)]
        return key + offset, shape

    def add(
        start: float, length: float, pitch: float, voice: str, level: float, pan: float = 0.0
    ) -> None:
        notes.append(_Note(start, length, pitch, voice, level, pan))

    def hit(start: float, name: str, level: float, pan: float = 0.0) -> None:
        hits.append((start, name, level, pan))

    def tune(
        voice: str,
        level: float,
        pan: float,
        scale: tuple[int, ...],
        rhythms: list[tuple[float, ...]],
        span: tuple[int, int],
        length: int = 4,
        legato: float = 0.95,
    ) -> None:
        intro = 2  # bars of accompaniment before the tune comes in
        phrase = _melody(
            rnd, [chord(intro + i) for i in range(length)], scale, key, style.beats, rhythms, span
        )
        for first in range(intro, bars, length):
            for at, held, pitch in phrase:
                add(first * bar + at * beat, held * beat * legato, pitch, voice, level, pan)

    def bass_note(root: int, lowest: int) -> int:
        return root - 24 if root - 24 >= lowest else root - 12

    for b in range(bars):
        start = b * bar
        root, shape = chord(b)
        if theme == "space":
            for k, p in enumerate(_chord_tones(root, shape, key - 5, key + 14)[:5]):
                add(start, bar * 1.02, p, "pad", 0.16, (-0.6, 0.6)[k % 2])
            add(start, bar, bass_note(root, 36) + 12, "sub", 0.25)
            tones = _chord_tones(root, shape, key + 12, key + 31)
            pattern = rnd.choice(
                [[0, 2, 4, 3, 1, 4, 2, 5], [0, 1, 2, 3, 4, 3, 2, 1], [4, 2, 0, 2, 5, 3, 1, 3]]
            )
            for i, step in enumerate(pattern):
                if rnd.random() > 0.22:
                    pan = math.sin(i * 0.9 + b) * 0.7
                    add(start + i * beat / 2, beat / 2, tones[step % len(tones)], "bell", 0.24, pan)
            if b % 2 == 0:
                hit(start, "wind", 0.2, rnd.uniform(-0.5, 0.5))
        elif theme == "fantasy":
            tones = _chord_tones(root, shape, key - 2, key + 22)
            for i, step in enumerate((0, 2, 4, 5, 4, 2)):
                pitch = tones[min(step, len(tones) - 1)]
                add(start + i * beat / 2, beat * 0.9, pitch, "pluck", 0.26, -0.35 + 0.14 * i)
            add(start, beat * 2.5, root - 12, "bass", 0.3)
            add(start + beat * 2, beat, root - 5, "bass", 0.18)
            for p in _chord_tones(root, shape, key + 2, key + 14)[:3]:
                add(start, bar, p, "pad", 0.07, rnd.uniform(-0.6, 0.6))
            hit(start, "kick", 0.3)
            hit(start + beat, "shaker", 0.35, 0.3)
            hit(start + beat * 2, "shaker", 0.28, 0.3)
        elif theme == "games":
            tones = _chord_tones(root, shape, key, key + 16)
            for i in range(16):
                pitch = tones[(0, 1, 2, 3, 2, 1)[i % 6] % len(tones)]
                add(start + i * beat / 4, beat / 4 * 0.8, pitch, "pulse", 0.1, 0.4)
            low = bass_note(root, 34)
            for i in range(8):
                pitch = low + (0, 0, 12, 7)[i % 4]
                add(start + i * beat / 2, beat / 2 * 0.85, pitch, "triangle", 0.2)
            for i in range(4):
                hit(
                    start + i * beat,
                    "kick" if i % 2 == 0 else "snare",
                    0.38 if i % 2 == 0 else 0.16,
                )
            for i in range(8):
                hit(start + i * beat / 2, "hat", 0.05 if i % 2 else 0.07, -0.3)
        else:
            voicing = _chord_tones(root, shape[1:], key + 1, key + 16)[:4]
            comp: list[tuple[float, float]] = rnd.choice(
                [
                    [(0.0, 1.4), (1 + 2 / 3, 0.5)],
                    [(0.0, 0.9), (2.0, 1.5)],
                    [(-1 / 3, 1.2), (2 + 2 / 3, 0.9)],
                ]
            )
            for at, held in comp:
                for k, p in enumerate(voicing):
                    when = max(0.0, start + at * beat + k * 0.012)  # a slight strum
                    add(when, held * beat, p, "epiano", 0.15, -0.3 + 0.2 * k)
            low = bass_note(root, 33)
            target = bass_note(chord(b + 1)[0], 33)
            third = shape[1] if rnd.random() < 0.5 else 7
            walk = [low, low + third, low + 7, target + (1 if target < low + 7 else -1)]
            for i, p in enumerate(walk):
                add(start + i * beat, beat * 0.9, p, "bass", 0.32, 0.05)
            for i in range(4):
                hit(start + i * beat, "ride", 0.14, 0.35)
                if i in (1, 3):
                    hit(start + (i + 2 / 3) * beat, "ride", 0.09, 0.35)  # swung
                    hit(start + i * beat, "brush", 0.16, -0.2)
            hit(start, "kick", 0.2)

    dorian, pentatonic, major = (0, 2, 3, 5, 7, 9, 10), (0, 2, 4, 7, 9), (0, 2, 4, 5, 7, 9, 11)
    if theme == "fantasy":
        rhythms = [(2, 1), (1, 1, 1), (1.5, 0.5, 1), (-1, 1, 1), (3,)]
        tune("flute", 0.36, 0.15, dorian, rhythms, (key + 10, key + 26), length=8)
    elif theme == "games":
        rhythms = [
            (1, 0.5, 0.5, 1, 1),
            (0.5, 0.5, 0.5, 0.5, 2),
            (1.5, 0.5, 1, 1),
            (1, 1, -0.5, 0.5, 1),
        ]
        tune("lead", 0.3, -0.15, pentatonic, rhythms, (key + 7, key + 21), legato=0.9)
    elif theme == "money":
        rhythms = [(1.5, 0.5, 2), (-1, 1, 2 / 3, 4 / 3), (3, 1), (-2, 2 / 3, 1 / 3, 1)]
        tune("vibes", 0.34, 0.25, major, rhythms, (key + 12, key + 26), legato=1.0)
    return notes, hits, style, beat


def _reverb(signal: np.ndarray, rng: np.random.Generator, seconds: float, wet: float) -> np.ndarray:
    """Convolution with a synthetic, exponentially decaying noise tail, different per side."""
    n = signal.shape[1]
    length = int(seconds * RATE)
    t = np.arange(length) / RATE
    decay = np.exp(-t * 6.9 / seconds) * np.minimum(1, t / 0.01)
    size = 1 << math.ceil(math.log2(n + length))
    out = np.empty_like(signal)
    for ch in range(2):
        impulse = _filtered_noise(rng, length, 150, 5000 + 800 * ch) * decay
        impulse /= np.sqrt(np.sum(impulse**2)) + 1e-9
        tail = np.fft.irfft(np.fft.rfft(signal[ch], size) * np.fft.rfft(impulse, size), size)
        out[ch] = signal[ch] + wet * tail[:n]
    return out


_ECHOED = frozenset({"bell", "pulse", "lead"})


def render_music(theme: str, seed: int, seconds: float) -> np.ndarray:
    """Stereo float32 samples (2 x n) peaking at -1 dBFS."""
    rnd, rng = rngs(theme, seed, salt=1)
    n = round(seconds * RATE)
    notes, hits, style, beat = _compose(theme, rnd, seconds)
    dry = np.zeros((2, n), np.float32)
    send = np.zeros((2, n), np.float32)  # voices that also feed the echo

    def place(bus: np.ndarray, start: int, wave: np.ndarray, level: float, pan: float) -> None:
        wave = wave[: n - start]
        angle = (pan + 1) * math.pi / 4  # equal-power panning
        bus[0, start : start + len(wave)] += wave * (level * math.cos(angle))
        bus[1, start : start + len(wave)] += wave * (level * math.sin(angle))

    cache: dict[tuple[str, float, float], np.ndarray] = {}
    for note in notes:
        start = int(note.start * RATE)
        if start >= n:
            continue
        key = (note.voice, note.pitch, round(note.length, 3))
        if key not in cache:
            cache[key] = _voice(note.voice, note.pitch, note.length).astype(np.float32)
        bus = send if note.voice in _ECHOED and style.delay else dry
        place(bus, start, cache[key], note.level, note.pan)
    drums: dict[str, list[np.ndarray]] = {}
    for when, name, level, pan in hits:
        start = int(when * RATE)
        if start >= n:
            continue
        if name not in drums:  # three takes of each drum, so repeats are not identical
            drums[name] = [_drum(name, rng) for _ in range(3)]
        place(dry, start, drums[name][int(when * 997) % 3], level, pan)

    if style.delay:  # a ping-pong echo on a dotted eighth
        lag = int(beat * 0.75 * RATE)
        for k in range(1, 5):
            if lag * k >= n:
                break
            dry[k % 2, lag * k :] += send[(k + 1) % 2, : n - lag * k] * (style.delay**k * 0.7)
    mix = _reverb(dry + send, rng, style.room, style.reverb)
    mix -= mix.mean(axis=1, keepdims=True)
    t = np.arange(n) / RATE
    fade_in = np.clip(t / style.fade_in, 0, 1)
    fade_out = np.clip((seconds - t) / min(3.0, seconds / 3), 0, 1)
    mix *= (np.sin(fade_in * np.pi / 2) * np.sin(fade_out * np.pi / 2)) ** 2
    peak = float(np.max(np.abs(mix))) or 1.0
    mix = np.tanh(1.4 * mix / peak) / math.tanh(1.4)  # a gentle limiter on the loudest peaks
    return (mix * 10 ** (-1 / 20)).astype(np.float32)


def audio_frame(samples: np.ndarray, fmt: str) -> av.AudioFrame:
    if fmt == "s16":
        data = np.round(samples.T * 32767).astype("<i2").reshape(1, -1)
    else:
        data = np.ascontiguousarray(samples, dtype=np.float32)
    frame = av.AudioFrame.from_ndarray(data, format=fmt, layout="stereo")
    frame.sample_rate = RATE
    return frame


def music_flac(*, theme: str, seed: int, seconds: float = 20.0) -> bytes:
    """A synthesised stereo 44.1 kHz piece for a theme, as FLAC bytes."""
    theme_index(theme)
    if not 1.0 <= seconds <= 600.0:
        raise ValueError("Music lasts between 1 and 600 seconds.")
    samples = render_music(theme, seed, seconds)
    out = io.BytesIO()
    with av.open(out, "w", format="flac") as container:
        stream = container.add_stream("flac", rate=RATE)
        stream.layout = "stereo"
        stream.format = "s16"
        for packet in stream.encode(audio_frame(samples, "s16")):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def music_titles() -> list[tuple[str, str, str]]:
    """(theme, title, description): two per theme; every seed of a theme fits both."""
    return [
        (
            "space",
            "Lydian Drift",
            "Slow pads, a sub bass and bells echoing across the stereo field.",
        ),
        ("space", "Night Shift", "Ambient chords for watching the dome turn, with solar wind."),
        ("fantasy", "The Cartographer's Waltz", "A harp in three-four time, then a wooden flute."),
        ("fantasy", "Orchard at Dusk", "Plucked strings, a soft frame drum and a wandering tune."),
        ("games", "Insert Coin", "Upbeat chiptune: pulse arpeggios, a triangle bass and a hook."),
        ("games", "Press Start", "Eight-bit drums and square waves at 138 beats a minute."),
        (
            "money",
            "Interest After Midnight",
            "Late-night lounge jazz: electric piano, walking bass, vibes.",
        ),
        ("money", "Small Change Swing", "Brushes, a ride cymbal and a ii-V-I that pays off."),
    ]
