"""Demo writing: original poems, stories and scripts in Markdown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoText:
    title: str
    body: str
    description: str
    tags: list[str]
    form: str  # "poem" | "story" | "lyrics" | "script"


def _hard_breaks(markdown: str, *, cues_only: bool = False) -> str:
    """End each line inside a block with two spaces, Markdown's hard line break.

    Verse and lyrics keep their line breaks in any CommonMark renderer, and the raw text still
    reads naturally. With `cues_only` (screenplays) only dialogue blocks, which open with a
    bold character cue, keep their lines; action paragraphs flow as prose.
    """
    blocks = markdown.strip().split("\n\n")
    out = []
    for block in blocks:
        lines = block.split("\n")
        verse = not block.startswith("#") and (not cues_only or block.startswith("**"))
        if verse:
            lines = [line.rstrip() + "  " for line in lines[:-1]] + lines[-1:]
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


_NIGHT_SHIFT = """
# Night Shift at the Observatory

The dome turns on its rusted track
with the patience of an old dog rising.
I feed it coffee and arithmetic;
it gives me back the dark.

Somewhere past the ninth magnitude
a star I named for my mother
is still sending the same letter
it started long before she was born.

I log it. Time, position, seeing: *fair*.
The ledger doesn't ask
what it means to be written to
by something that has already gone out.

At five the sky goes thin as milk.
The shutters close like eyelids.
I drive home slowly, carrying
a little ancient light inside my coat.
"""

_DOCKING_WINDOW = """
# Docking Window

*A scene in one orbit.*

**INT. CARGO TUG *PATIENCE* — COCKPIT — NIGHT SIDE**

A cramped cockpit lit by amber dials. Through the window a space station turns, a silver
wheel against the blue curve of the Earth. ODILE (60s, pilot, unhurried) sips tea from a pouch.
Beside her KAI (19, first flight, strapped in far too tightly) grips a laminated checklist.

**KAI**
Approach speed is point four. The book says point two.

**ODILE**
The book was written by someone who never had to be home for dinner.

**KAI**
Was that a joke? Are we allowed to joke at this distance?

**ODILE**
*(easing the stick)*
Distance is where you need them most.

The docking ring swings into view. A proximity alarm chirps, polite as a doorbell.

**KAI**
Alarm!

**ODILE**
That's not an alarm. That's the station saying hello. Say hello back.

Kai hesitates, then thumbs the radio.

**KAI**
*(into the mic)*
Hello, Meridian. This is... this is *Patience*.

**MERIDIAN (V.O.)**
*(crackling, warm)*
We know, kid. We can see you from here.

A soft clunk. The latches close. Kai breathes out for the first time in an hour.
Odile passes him the tea.

**ODILE**
Point four. Told you.

**FADE OUT.**
"""

_CARTOGRAPHER = """
# The Cartographer's Last Map

For forty years Wren Ashby drew the maps of the kingdom, and for forty years the kingdom
obligingly stayed where she put it. Rivers ran where her ink ran. Mountains rose to the heights
she wrote beside them in small, careful numbers. When the king's surveyors came back with
different figures, it was generally agreed that the mountains had been mistaken.

So when her eyes began to fail, the court grew nervous. A blurred line might move a border.
A spilled bottle might drown a town.

Wren was not nervous. She spent her last winter on a single sheet of vellum, working by the
window where the light was kindest. She drew no roads and no borders. She drew the orchard
behind her cottage, the bend in the stream where her brother had taught her to swim, the hill
where she had once kissed a tinker's boy who never came back for the second one. She drew them
larger than they were, because that was how large they were.

When she had finished, she rolled the map, tied it with kitchen string and left it on the
table for whoever came next.

The court cartographers found it in the spring. They argued for a week about scale and
projection and whether it counted as an official document. In the end they filed it under
*Miscellaneous*, which is where, if you know where to look, you can still find the best
country in the world.
"""

_DRAGON = """
# The Dragon Takes Up Gardening

After the last knight retired
and the gold had gone soft and green with waiting,
she flew down from the mountain
with a trowel held carefully in her teeth.

Her first tomatoes were ash.
Her second were merely charcoal.
She learned to breathe *out*
the way you learn to whisper in a library.

Now the village children come on Thursdays
to see the beans she grows up the old siege tower,
the roses trained along a broken lance,
the pumpkins, warm all winter, glowing like a hoard.

Some nights she still dreams of burning.
She wakes, and counts the sleeping marrows,
and is surprised by how much
she would give now to keep a thing alive.
"""

_EXTRA_LIFE = """
# Extra Life

*Chiptune pop, 132 bpm, two players.*

### Verse 1

Quarter in the slot at a quarter past ten,
neon on your face like a sunrise again,
two small heroes with a single shared plan:
get as far as we can, get as far as we can.

### Chorus

Give me one more life, one more try,
one more jump across the pixel sky;
if I fall, then I'll fall next to you —
press start, press start, we'll make it through.

### Verse 2

Now the arcade's a laundromat, the cabinets are gone,
but I still hear the coin drop when your name lights up my phone;
you say *Player Two, you ready?* and I laugh, 'cause I am:
get as far as we can, get as far as we can.

### Chorus

*(repeat)*

### Bridge

High score fading on a screen in my head,
three little letters blinking red;
it doesn't matter what the numbers say,
we were the only ones who stayed to play.

### Last chorus

Give me one more life, one more try,
one more jump across the pixel sky;
and when it says *game over*, we just smile —
I've got quarters, I've got quarters for a while.
"""

_SAVE_POINT = """
# Save Point

In every game there is a glowing place,
a crystal or a typewriter, a bed,
where nothing can come in through the walls
and the music drops to something like a hymn.

You stand there and the world agrees to wait.
Your health comes back. The monsters hold their breath.
Whatever you did wrong since the last one
is gently, completely forgotten.

I have been looking for it all my life:
my grandmother's kitchen, the night bus home,
the ten minutes before a hard exam
when nothing has gone wrong yet.

Tonight it's this: your head on my shoulder,
the credits rolling on a game we didn't finish,
the controller warm in my hand.
I press save. I want to come back to exactly here.
"""

_RENT_DAY = """
# Rent Day

On the first of the month the numbers come
to sit at my kitchen table.
They're polite. They keep their coats on.
They have somewhere else to be.

*Eleven hundred and forty*, says the largest,
and the small ones nod: *and fifty for the heat,
and nine for the phone, and two
for the bus there and the bus back.*

I make them tea. I'm good at this now.
I know that if I count them slowly
they can't hurry me,
and there will be, in the end, enough —

just enough, the way there's just enough
light on the stairs at six in January:
you can see where to put your feet.
You go up anyway. You get home.
"""

_SMALL_CHANGE = """
# Small Change

Every evening for thirty-one years, Mr. Okafor emptied his pockets into a jam jar on the
windowsill of his shop. Pennies mostly, a few silver coins, the occasional button slipped to
him in bad light. He never counted it. When people asked what it was for, he said, "Later."

His daughter, who kept the shop's books on a laptop and believed firmly in spreadsheets,
found the jars inefficient. There were forty-one of them by then, lined up in the back room
like a small glass choir. "Dad," she said, "that's dead money. If you'd invested it —" and she
showed him a chart that rose like a ski jump.

He looked at the chart for a long time, politely. Then he took her into the back room, lifted
down the first jar, the one with the cracked lid, and tipped it out onto the counter.

"This is the winter your mother was ill and I kept the shop open anyway," he said. "This is
the year you learned to ride a bicycle. This button came from a man who cried at this counter,
and I let him take the bread." He picked out a coin worn so smooth the queen had no face.
"This one I don't remember. That's good too."

She didn't open a spreadsheet that night. But the next morning, a little embarrassed, she
emptied her own pockets into a new jar and wrote the date on the lid.
"""


def texts() -> list[DemoText]:
    """Eight short original pieces, two per theme: poems, stories, lyrics and a scene."""

    def piece(body: str, form: str, description: str, tags: list[str]) -> DemoText:
        if form == "story":
            markdown = body.strip() + "\n"
        else:
            markdown = _hard_breaks(body, cues_only=form == "script")
        title = markdown.split("\n", 1)[0].removeprefix("# ").strip()
        return DemoText(title, markdown, description, tags, form)

    return [
        piece(
            _NIGHT_SHIFT,
            "poem",
            "An astronomer's night shift, and a letter of starlight that arrives too late.",
            ["space", "poem", "stars", "family"],
        ),
        piece(
            _DOCKING_WINDOW,
            "script",
            "A veteran pilot, a nervous rookie and a space station that says hello.",
            ["space", "screenplay", "comedy", "orbit"],
        ),
        piece(
            _CARTOGRAPHER,
            "story",
            "The kingdom's mapmaker spends her last winter drawing the only map that matters.",
            ["fantasy", "short story", "maps", "flash fiction"],
        ),
        piece(
            _DRAGON,
            "poem",
            "A retired dragon learns to breathe gently enough to grow tomatoes.",
            ["fantasy", "poem", "dragons", "gardens"],
        ),
        piece(
            _EXTRA_LIFE,
            "lyrics",
            "A chiptune love song for two players who never ran out of quarters.",
            ["games", "lyrics", "arcade", "chiptune"],
        ),
        piece(
            _SAVE_POINT,
            "poem",
            "Looking for the glowing place where the world agrees to wait.",
            ["games", "poem", "rest", "love"],
        ),
        piece(
            _RENT_DAY,
            "poem",
            "The numbers come to tea on the first of the month.",
            ["money", "poem", "rent", "everyday"],
        ),
        piece(
            _SMALL_CHANGE,
            "story",
            "Forty-one jars of coins, and what a spreadsheet cannot count.",
            ["money", "short story", "family", "flash fiction"],
        ),
    ]
