"""Demo content made on this machine: texts, pictures, music and short animations.

Nothing is downloaded. Every function is pure: it returns bytes or text, and the same theme and
seed always give the same result. Pictures are drawn with numpy and Pillow, music is additive
synthesis in numpy encoded to FLAC, and animations are drawn frame by frame and encoded to H.264
with an AAC soundtrack, all through PyAV.

The ``*_titles()`` lists describe what every picture, track or clip of a theme shows, whatever
the seed, so a caller can pair any title of a theme with any seed.
"""

from riffhouse.demo.media.animations import animation_mp4, animation_titles
from riffhouse.demo.media.common import THEMES
from riffhouse.demo.media.music import music_flac, music_titles
from riffhouse.demo.media.pictures import image, image_png, image_titles
from riffhouse.demo.media.pictures.drawing import png
from riffhouse.demo.media.writing import DemoText, texts

__all__ = [
    "THEMES",
    "DemoText",
    "animation_mp4",
    "animation_titles",
    "image",
    "image_png",
    "image_titles",
    "music_flac",
    "music_titles",
    "png",
    "texts",
]
