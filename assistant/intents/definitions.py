"""The assistant's intents, as data.

Each intent names its kit (the skill that answers it), a few example phrases and weighted
keywords. A keyword is a word or a phrase written in any inflection ("arrived" also matches
"arriving"); its weight says how surely it points to the intent: about 3 for a phrase that
can mean nothing else ("critical path"), 2 for a typical word ("late"), 1 for a word shared
with other intents ("status"). The detector adds the weights of the terms found, so the
tables below are the place to teach it a new phrasing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .normalize import word_list

KITS: tuple[str, ...] = ("logistics", "events", "media", "general")


@dataclass(frozen=True, slots=True)
class IntentDefinition:
    name: str
    kit: str
    examples: tuple[str, ...]
    keywords: dict[str, float]
    # Weight added when an extracted entity is present (a named sample makes a lookup).
    slot_boosts: dict[str, float] = field(default_factory=dict)
    # Regular expressions over the normalised message (typos corrected) and their weights,
    # for shapes a phrase cannot say ("are the hero looks in": a question ending in "in").
    patterns: dict[str, float] = field(default_factory=dict)


# "How are we doing?" asked on a kit's page means that kit's overview intent.
_OVERVIEW: dict[str, float] = {
    "status": 1.5,
    "overview": 1,
    "update": 1,
    "summary": 1,
    "how are we doing": 1.5,
    "how is it going": 1.5,
    "how are things": 1.5,
    "how are we looking": 1.5,
    "how is it looking": 1.5,
    "where are we at": 1.5,
    "what is going on": 1.5,
}
# "How's the pull looking?", "how are things going": the same, as a shape.
_OVERVIEW_PATTERNS: dict[str, float] = {
    r"^how (?:is|are) (?:the|our|we|it|things|everything)\b.*\b(?:looking|going|doing)$": 1.5,
}


def phrases(
    heads: tuple[str, ...], tails: tuple[str, ...], weight: float, joiners: tuple[str, ...] = ("",)
) -> dict[str, float]:
    """Every "<head> <joiner><tail>" phrase of a vocabulary class, at one weight."""
    return {
        f"{head} {joiner}{tail}": weight for head in heads for joiner in joiners for tail in tails
    }


# Vocabulary classes: families of words that mean one thing, combined into keywords so that a
# new phrasing of a known idea is found without being written out ("haven't shown up" like
# "hasn't arrived"). The tables of each intent add or override single phrases.

# A sample reaching the studio. Said plainly it is readiness ("has the pull landed"); negated
# it is a blocker ("which pieces haven't shown up").
ARRIVAL_TERMS: tuple[str, ...] = (
    "arrived",
    "landed",
    "delivered",
    "received",
    "shown up",
    "turned up",
    "got here",
    "made it",
    "come through",
    "came through",
)
# Said only negated ("not come in"): plainly they are as often about people and times.
ARRIVAL_NEGATED_ONLY: tuple[str, ...] = (
    "come in",
    "came in",
    "show up",
    "turn up",
    "get here",
    "make it",
    "shipped",
    "sent",
    "dropped off",
)
# Putting pieces together to shoot them in one setup.
GROUPING_VERBS: tuple[str, ...] = ("group", "cluster", "bundle", "combine", "lump", "pair up")
NEGATIONS: tuple[str, ...] = ("not", "not yet", "not been", "never", "yet to", "still not")
# A piece getting its pictures taken, as a participle ("not photographed") and as a plain verb
# after a word that says it has not happened ("forgot to shoot").
SHOT_PARTICIPLES: tuple[str, ...] = (
    "shot",
    "photographed",
    "captured",
    "covered",
    "filmed",
    "snapped",
    "on camera",
    "got on camera",
)
SHOOT_VERBS: tuple[str, ...] = ("shoot", "photograph", "capture", "cover", "film", "get")
NOT_DONE_YET: tuple[str, ...] = ("forgot to", "forget to", "yet to", "still have to", "missed")
PICTURE_NOUNS: tuple[str, ...] = (
    "photo",
    "image",
    "picture",
    "shot",
    "asset",
    "visual",
    "frame",
    "coverage",
)
NONE_WORDS: tuple[str, ...] = ("no", "zero", "without", "lacking", "missing", "not a single")
# What decides when the day ends ("what's driving the end of day", "what gates wrap").
DECIDING_VERBS: tuple[str, ...] = ("drive", "determine", "decide", "dictate", "gate", "control")
FINISH_NOUNS: tuple[str, ...] = (
    "end",
    "end of day",
    "end of the day",
    "finish",
    "finish time",
    "end time",
    "wrap",
    "wrap time",
)
DETERMINERS: tuple[str, ...] = ("", "the ", "our ")
# A task that may not move is on the critical path ("which tasks can't slip").
MUST_NOT: tuple[str, ...] = ("can not", "must not", "can not afford to", "should not")
SLIPPING: tuple[str, ...] = ("slip", "move", "be late", "run over", "overrun", "slide")
# Two things in one slot.
SLOT_NOUNS: tuple[str, ...] = ("time", "slot", "hour", "moment", "spot")
BOOKED_VERBS: tuple[str, ...] = ("booked", "scheduled", "assigned", "rostered", "down", "called")
CLASH_NOUNS: tuple[str, ...] = ("conflict", "clash", "collision", "overlap")

INTENTS: tuple[IntentDefinition, ...] = (
    # The first intent of each kit is its overview: it wins ties inside the kit.
    IntentDefinition(
        name="readiness_check",
        kit="logistics",
        examples=(
            "are we ready",
            "how ready is the campaign",
            "how many samples are on set",
            "what percentage of the samples have arrived",
            "are we good to go",
            "is everything here for the shoot",
            "sample status",
            "are the samples prepared",
        ),
        keywords={
            **dict.fromkeys(ARRIVAL_TERMS, 2.0),
            **_OVERVIEW,
            "ready": 2.5,
            "readiness": 3,
            "on set": 2,
            "arrived": 2,
            "all arrived": 2.5,
            "accounted for": 2.5,
            "on track": 2,
            "here": 1,
            "prepared": 2,
            "good to go": 3,
            "ready to start": 3,
            "can we start": 2,
            "all set": 2,
            "in place": 2,
            "percentage": 2,
            "percent": 2,
            "how many": 1.5,
            "how close": 1.5,
            "progress": 1.5,
            "so far": 1,
            "checked in": 1.5,
            "are we good": 2.5,
            "in house": 2,
            "in the building": 2,
            "in the studio": 1.5,
            "in hand": 2,
            "shoot ready": 3,
        },
        patterns={
            **_OVERVIEW_PATTERNS,
            # "do we have everything", "do we have all the dresses": the whole pull.
            r"^do we have (?:all|everything)\b": 2,
            # "are the hero looks in?", "is the full pull here so we can start": a whole
            # group, not one sample (the question may go on after "so", "or", "because").
            r"^(?:are|is) (?:(?:the|all|our|my|every|of|full|whole|entire|complete) )*(?:hero )?"
            r"(?:sample|samples|look|looks|piece|pieces|garment|garments|outfit|outfits|item|"
            r"items|everything|clothes|pull|rack|racks)(?: all)? (?:in|here|there|ready)"
            r"(?: yet)?(?:$| so\b| or\b| because\b)": 2.5,
        },
    ),
    IntentDefinition(
        name="blocker_check",
        kit="logistics",
        examples=(
            "which samples are missing",
            "which samples are delayed",
            "show me the late samples",
            "what is blocking the shoot",
            "anything stuck with the courier",
            "what has not arrived yet",
            "any blockers",
        ),
        keywords={
            **phrases(NEGATIONS, ARRIVAL_TERMS + ARRIVAL_NEGATED_ONLY, 3.0),
            "missing": 2.5,
            "delayed": 2.5,
            "delay": 2.5,
            "late": 2,
            "late sample": 3,
            "late delivery": 3,
            # Deliveries run late too: the nouns of the message choose the kit.
            "running late": 2,
            "running behind": 1.5,
            "still chasing": 2.5,
            "chasing": 1.5,
            "hold up": 2.5,
            "holdup": 2.5,
            "outstanding": 2,
            "still waiting": 2,
            "pending": 1.5,
            "in transit": 1.5,
            "stuck": 2.5,
            "customs": 2.5,
            "blocking": 2.5,
            "blocker": 3,
            "where is": 1,
            "where are": 1,
            "not here": 3,
            "not arrived": 3,
            "not delivered": 3,
            "undelivered": 3,
            "not sent": 3,
            "not shipped": 3,
            "overdue": 2,
            "not in": 1.5,
            "waiting on": 1.5,
            "waiting for": 1.5,
            "holding up": 1.5,
            "holding us up": 3,
            "held us up": 3,
            "held up": 2,
            "holding us back": 2.5,
            "holding back": 2.5,
            "stop us": 2,
            "problem": 1.5,
            "issue": 1.5,
            "lost": 1.5,
        },
    ),
    IntentDefinition(
        name="batching_plan",
        kit="logistics",
        examples=(
            "how should we batch the shoot",
            "what order should we shoot in",
            "give me a shooting order",
            "group the samples by category",
            "how can we save time on set",
            "which looks should we shoot together",
        ),
        keywords={
            **dict.fromkeys(GROUPING_VERBS, 2.5),
            "in one go": 2,
            "back to back": 2.5,
            "batch": 3,
            "batching": 3,
            "group": 2.5,
            "grouping": 2.5,
            "order to shoot": 3,
            "shooting order": 3,
            "shoot order": 3,
            "what order": 2.5,
            "order": 1.5,
            "sequence": 2.5,
            "save time": 3,
            "shoot first": 2.5,
            "shoot together": 3,
            "together": 1.5,
            "bundle": 2.5,
            "similar": 1.5,
            "setup": 1.5,
            "set change": 2.5,
            "setup change": 2.5,
            "category": 2,
            "organize": 2,
            "efficient": 2,
        },
    ),
    IntentDefinition(
        name="sample_lookup",
        kit="logistics",
        examples=(
            "where is the red silk dress",
            "status of the leather jacket",
            "track the wool coat",
            "has the cream blazer arrived",
            "eta for the denim jumpsuit",
            "courier tracking for the bag",
        ),
        keywords={
            "track": 2,
            "tracking number": 3,
            "courier": 2,
            "eta": 2.5,
            "where is": 1,
            "where are": 0.5,
            "status of": 1.5,
            "locate": 2,
            "find": 1,
            "shipped": 1.5,
            "dhl": 2,
            "fedex": 2,
            "any news": 1.5,
            "update on": 1.5,
        },
        slot_boosts={"sample_query": 3},
    ),
    IntentDefinition(
        name="schedule_overview",
        kit="events",
        examples=(
            "what is the schedule today",
            "show me the timeline",
            "what is the plan for the day",
            "run of show",
            "when do we start",
            "who is doing what and when",
            "agenda for tomorrow",
        ),
        keywords={
            **_OVERVIEW,
            "schedule": 2.5,
            "timeline": 2.5,
            "agenda": 2.5,
            "itinerary": 2.5,
            "plan for the day": 3,
            "what is the plan": 2.5,
            "the plan for": 2,
            "run of show": 3,
            "running order": 3,
            "call sheet": 3,
            "call time": 2.5,
            "start time": 2.5,
            "when do we start": 3,
            "what time": 2,
            "when": 1,
            "start": 1,
            "plan": 1,
            "what is on": 2,
            "what is happening": 2,
            "what are we doing": 2.5,
            "day look like": 2.5,
            "timing": 2,
            "who is doing what": 3,
            "who is doing": 2.5,
            "who is working": 3,
            "working on what": 3,
            "look like": 2.5,
            "due": 2,
            "lunch": 2,
            "when does": 1.5,
            "overview": 1.5,
            "is everyone doing": 3,
            "when is": 1.5,
            "when are": 1.5,
            "order of the day": 3,
            "order of play": 3,
            "day sheet": 3,
        },
        patterns={
            **_OVERVIEW_PATTERNS,
            # "who's on set when", "who needs to be in when": people against times.
            r"^who\b(?: \w+){0,4} when\b": 2.5,
        },
    ),
    IntentDefinition(
        name="critical_path",
        kit="events",
        examples=(
            "what is the critical path",
            "what is the bottleneck",
            "which chain of tasks determines when we finish",
            "what determines the end of the day",
            "longest chain of dependencies",
            "which tasks have no slack",
        ),
        keywords={
            **phrases(DECIDING_VERBS, FINISH_NOUNS, 3.0, DETERMINERS),
            **phrases(("push", "delay"), FINISH_NOUNS, 2.5, DETERMINERS),
            **phrases(MUST_NOT, SLIPPING, 3.0),
            "critical path": 4,
            "critical": 2,
            "path": 1.5,
            "bottleneck": 3,
            "bottle neck": 3,
            "longest chain": 3,
            "longest": 2,
            "chain": 2,
            "determines the end": 3,
            "determine": 2,
            "finish time": 3,
            "end time": 3,
            "wrap time": 3,
            "done by": 2,
            "how long": 2,
            "total duration": 3,
            "duration": 2,
            "slow": 2,
            "finish": 2,
            "wrap": 2,
            "when will we": 1.5,
            "dependency": 2.5,
            "depends on": 2,
            "slack": 3,
            "holding up": 1.5,
        },
    ),
    IntentDefinition(
        name="at_risk_tasks",
        kit="events",
        examples=(
            "which tasks are late",
            "what is overdue",
            "are we behind schedule",
            "which tasks will miss their deadline",
            "tasks at risk",
            "is anything slipping",
        ),
        keywords={
            "late": 2,
            "late task": 3,
            "running late": 2.5,
            "running behind": 3,
            "overdue": 3,
            "behind": 2.5,
            "behind schedule": 4,
            "falling behind": 3,
            "miss": 1.5,
            "deadline": 2,
            "at risk": 3,
            "risk": 2,
            "slipping": 2.5,
            "on track": 2,
            "on time": 2.5,
            "in time": 2.5,
            "blocked": 1.5,
        },
    ),
    IntentDefinition(
        name="conflict_check",
        kit="events",
        examples=(
            "is anyone double booked",
            "any clashes in the schedule",
            "do any tasks overlap",
            "is someone in two places at once",
            "check for conflicts",
        ),
        keywords={
            **phrases(("same",), SLOT_NOUNS, 2.5),
            **phrases(BOOKED_VERBS, ("twice", "double"), 3.0),
            **phrases(("schedule", "scheduling", "booking"), CLASH_NOUNS, 4.0),
            "double booked": 4,
            "doublebooked": 4,
            "double booking": 4,
            "double": 2,
            "clash": 3,
            "overlap": 3,
            "conflict": 3,
            "schedule conflict": 4,
            "scheduling conflict": 4,
            "two places at once": 4,
            "two places": 3.5,
            "two things": 2.5,
            "two jobs": 2.5,
            "at once": 2,
            "same time": 2.5,
            "booked twice": 3,
            "overbooked": 3,
            "twice": 2,
            "collide": 3,
            "collision": 3,
            # Bookings "stepping on each other", "on top of each other".
            "each other": 2,
            "on top of each other": 3,
            "step on": 2,
        },
    ),
    IntentDefinition(
        name="asset_ranking",
        kit="media",
        examples=(
            "what are the best shots",
            "show me the top images",
            "rank the assets",
            "which photos are strongest",
            "which images score highest",
            "pick the standout pictures",
        ),
        keywords={
            **_OVERVIEW,
            "best": 2,
            "best shot": 3,
            "best image": 3,
            "top": 2,
            "top image": 3,
            "top rated": 3,
            "rank": 3,
            "ranking": 3,
            "strongest": 3,
            "strong": 2,
            "standout": 3,
            "stand out": 3,
            "score": 2,
            "highest": 1.5,
            "rated": 1.5,
            "favorite": 2,
            "pick": 1.5,
            "select": 1.5,
            "should we use": 2,
            "how good": 2,
            "quality": 2,
            "approved": 1.5,
            # Unusable assets (rights expired, rejected) are reported with the ranking.
            "rights": 2.5,
            "usage rights": 3,
            "expired": 2.5,
            "expire": 2,
            "license": 2.5,
            "rejected": 2,
            "should go": 2,
            "should use": 2,
            # Handing pictures to the client is choosing them.
            **phrases(("send", "share", "show", "present"), ("to the client", "the client"), 2.0),
            "should lead": 2,
            "should headline": 2,
            "should open": 1.5,
            # "the best way to ..." asks how to do something, not which asset is best.
            "best way": 0.5,
        },
        patterns=_OVERVIEW_PATTERNS,
    ),
    IntentDefinition(
        name="coverage_gaps",
        kit="media",
        examples=(
            "which hero pieces have no photo",
            "missing shots",
            "any gaps in coverage",
            "what have we not shot yet",
            "are all the hero looks covered",
            "which looks still need photos",
        ),
        keywords={
            **phrases(NEGATIONS, SHOT_PARTICIPLES, 3.0),
            **phrases(NOT_DONE_YET, SHOOT_VERBS, 3.0),
            **phrases(NONE_WORDS, PICTURE_NOUNS, 3.0),
            "missing shot": 4,
            "missing": 2,
            "gap": 3,
            "coverage": 3,
            "covered": 2,
            "cover": 2,
            "uncovered": 3,
            "unshot": 3,
            "unphotographed": 3,
            "no photo": 3,
            "no image": 3,
            "no picture": 3,
            "no approved": 2,
            "not shot": 3,
            "photographed": 2,
            "shot yet": 2,
            "left to shoot": 3,
            "still to shoot": 3,
            "need photo": 2.5,
            "need picture": 2.5,
            "shot list": 2.5,
            "picture of": 1,
            "photo of": 1,
            "have photo": 2,
            "have picture": 2,
            "have image": 2,
            "have shot": 2,
            "shot of": 1.5,
            "have approved": 3,
            "for every": 1.5,
            "without image": 3,
            "without photo": 3,
            "without picture": 3,
            "without shot": 3,
            "without asset": 3,
            "without approved": 3,
            "needs shooting": 3,
            "to be shot": 2.5,
        },
        patterns={
            # "do all the heroes have a signed-off shot": a picture had, whatever its adjective.
            r"\bhave (?:a |an |any )?(?:\w+ ){0,2}(?:shot|shots|photo|photos|image|images|"
            r"picture|pictures)\b": 2,
        },
    ),
    IntentDefinition(
        name="channel_fit",
        kit="media",
        examples=(
            "which images work for instagram",
            "what fits the tiktok format",
            "do we have anything for stories",
            "aspect ratio check for the website",
            "which shots suit the product pages",
        ),
        keywords={
            "fit": 2,
            "suit": 2,
            "format": 2,
            "aspect ratio": 3,
            "ratio": 2,
            "crop": 2.5,
            "size": 1.5,
            "right size": 2.5,
            "resolution": 2.5,
            "vertical": 2.5,
            "portrait": 1.5,
            "landscape": 1.5,
            "square": 1.5,
            "9 16": 3,
            "4 5": 3,
            "16 9": 3,
            "work for": 1.5,
            "work on": 1.5,
            "usable": 1.5,
            "channel": 2,
        },
        # A named channel ("instagram", "stories", "web") is itself the strongest cue.
        slot_boosts={"channel": 3.5},
    ),
    IntentDefinition(
        name="greeting",
        kit="general",
        examples=("hi", "hello", "good morning", "thanks", "thank you", "cheers"),
        keywords={
            "hi": 2,
            "hello": 2,
            "hey": 2,
            "hiya": 2,
            "howdy": 2,
            "yo": 2,
            "sup": 2,
            "that helps": 3,
            "helpful": 2.5,
            "good morning": 2.5,
            "good afternoon": 2.5,
            "good evening": 2.5,
            "thanks": 2,
            "thank": 2,
            "thank you": 2.5,
            "cheers": 2,
            "how are you": 2.5,
            "bye": 2,
            "great": 0.5,
            "ok": 0.5,
            "okay": 0.5,
            "cool": 0.5,
            "perfect": 0.5,
            "awesome": 0.5,
            "nice": 0.5,
        },
        # A message that is only an acknowledgement closes a topic like a "thanks".
        patterns={
            r"^(?:morning|evening|afternoon)\b": 2,
            r"^(?:ok|okay|cool|great|perfect|awesome|nice|got it|sounds good|noted|lovely)"
            r"(?: thanks| thank you| cheers)?$": 2.5,
        },
    ),
    IntentDefinition(
        name="recommendations",
        kit="general",
        examples=(
            "what should i do next",
            "what are my priorities",
            "next steps",
            "what do you recommend",
            "what needs my attention",
            "what is most urgent",
        ),
        keywords={
            **_OVERVIEW,
            "what should i do next": 4,
            "what do i do": 3,
            "do next": 3,
            "next": 1.5,
            "next step": 3.5,
            "priority": 3,
            "top priority": 3.5,
            "prioritize": 3,
            "recommend": 3,
            "recommendation": 3,
            "suggest": 2.5,
            "suggestion": 3,
            "needs doing": 3,
            "do first": 2.5,
            "doing first": 2.5,
            "where do i start": 3.5,
            "where do we start": 3.5,
            "where to start": 3,
            "pressing": 2.5,
            "what do you suggest": 3,
            "focus": 2.5,
            "attention": 2.5,
            "urgent": 2.5,
            "most urgent": 3,
            "most important": 3,
            "important": 1.5,
            "to do": 2,
            "to do list": 3,
            "todo": 3,
            "tackle": 2,
            "advice": 2.5,
            "what would you do": 2.5,
            "should i": 1.5,
            "i should": 1.5,
            "should do": 2,
            "should we do": 2.5,
        },
        patterns={
            **_OVERVIEW_PATTERNS,
            # "what should I be chasing first", "what should we tackle next".
            r"\bshould (?:i|we) (?:be )?\w+(?: \w+)? (?:first|next)\b": 3,
            # "things I should do before call time", "what we need to sort out".
            r"\b(?:things|stuff|what) (?:i|we) (?:should|need to|must|have to|ought to) "
            r"(?:do|tackle|handle|chase|sort|focus)\b": 3,
            r"\btop \d+ (?:things|priorities|jobs)\b": 2,
            # "what do you think I should do": the user asks for an opinion on their next move.
            r"\b(?:think|reckon|suggest) (?:i|we) should\b": 3,
        },
    ),
    IntentDefinition(
        name="help",
        kit="general",
        examples=(
            "help",
            "what can you do",
            "how do you work",
            "what can i ask you",
            "how do i use this",
        ),
        keywords={
            "help": 3,
            "what can you do": 4,
            "what can it do": 3.5,
            "what can this do": 3.5,
            "what can this thing do": 3.5,
            "can you do": 3.5,
            "you can do": 3.5,
            "how do you work": 4,
            "how does this work": 4,
            "how does it work": 4,
            "assistant": 1.5,
            "can i ask": 3,
            "question": 1.5,
            "feature": 2.5,
            "capabilities": 3,
            "instructions": 3,
            "how do i use": 3,
            "how to use": 3,
            "able to help": 3,
            "what do you do": 3,
            "who are you": 3,
            "what are you for": 4,
            "what do you know": 3.5,
            "bot": 2.5,
            "what can": 1.5,
            "command": 2.5,
            "tutorial": 3,
            "capable": 3,
            "can you answer": 3.5,
            "capability": 3,
            "new here": 2.5,
            "i am new": 2,
        },
        patterns={
            r"\bwhat is (?:this|the) (?:chat|bot|assistant|tool|thing|app)\b": 3.5,
            r"\bwhat (?:sort|kind|type)s? of (?:stuff|things|questions)\b": 3,
        },
    ),
    IntentDefinition(
        name="unknown",
        kit="general",
        examples=(),
        # Clearly off-topic subjects: they outweigh a stray domain word ("best movies").
        keywords=dict.fromkeys(
            (
                *word_list(
                    "weather forecast temperature rain snow poem poetry joke riddle song sing"
                ),
                *word_list("lyrics music playlist movie netflix football soccer basketball tennis"),
                *word_list("recipe cook cooking bake pasta pizza restaurant hotel flight holiday"),
                *word_list("vacation capital country president election politics bitcoin crypto"),
                *word_list("stocks translate translation spanish french italian german chinese"),
                *word_list(
                    "math equation calculate physics quantum chemistry homework essay email"
                ),
                *word_list("calories diet gym workout horoscope zodiac alarm dream girlfriend"),
                *word_list("boyfriend lorem ipsum history stock"),
                *word_list("buy cheap amazon phone laptop computer wifi password"),
                *word_list("dog cat pet nearest pharmacy hospital directions"),
                *word_list("dollars euros currency convert game taxes tax coffee novel"),
                *word_list("birthday party wedding uber taxi cab"),
                *word_list("podcast commute series trending viral"),
                *word_list("stain laundry bleach detergent caption hashtag hashtags slogan"),
                "dress code",
                "remind me",
                "world cup",
                "who won",
                "how old",
                "good book",
                "what time is it",
                "what is the time",
                "what day is it",
                "what is the date",
                "time zone",
                "prime minister",
                "meaning of life",
                "your favorite",
                "how tall",
            ),
            5.0,
        ),
    ),
)

INTENTS_BY_NAME: dict[str, IntentDefinition] = {intent.name: intent for intent in INTENTS}

# Garment categories as users say them -> the category key the batching table uses
# (logistics.analysis.batching.CATEGORY_TIMINGS). A sample's own category label is read
# through the same table, so "Shoes" on a sample and "the boots" in a message meet at
# "footwear". Words that are also keywords ("top", "suit", "slip") are left out.
CATEGORY_TERMS: dict[str, tuple[str, ...]] = {
    "dresses": ("dress", "dresses", "gown", "gowns"),
    "outerwear": ("outerwear", "coat", "jacket", "blazer", "trench", "parka", "puffer"),
    "knitwear": ("knitwear", "knit", "knits", "sweater", "jumper", "cardigan", "pullover"),
    "tops": ("shirt", "blouse", "tee", "t shirt", "tshirt", "tank top", "camisole"),
    "trousers": ("trousers", "pants", "jeans", "denim", "chinos", "leggings", "shorts"),
    "skirts": ("skirt",),
    "footwear": (
        "footwear",
        "shoes",
        "boots",
        "sneakers",
        "trainers",
        "heels",
        "loafers",
        "sandals",
        "pumps",
        "mules",
    ),
    "bags": ("bag", "handbag", "clutch", "tote", "purse"),
    "jewellery": ("jewellery", "jewelry", "earrings", "necklace", "bracelet"),
    "accessories": ("accessories", "accessory", "scarf", "hat", "belt", "gloves", "sunglasses"),
}

# Nouns that say which kit a question is about ("tasks" are events, "samples" logistics).
# They never make an intent on their own; they add to intents that already have evidence.
KIT_CUES: dict[str, dict[str, float]] = {
    "logistics": {
        **dict.fromkeys(
            word_list(
                "sample garment look piece clothes outfit delivery shipment package parcel "
                "designer showroom item pull courier"
            ),
            1.0,
        ),
        **dict.fromkeys(
            word_list(
                "dress gown coat jacket blazer skirt trousers pants jeans shirt blouse knitwear "
                "sweater jumpsuit suit boots shoes heels loafers sneakers bag earrings necklace "
                "jewelry scarf hat belt"
            ),
            0.5,
        ),
        **dict.fromkeys((term for terms in CATEGORY_TERMS.values() for term in terms), 0.5),
    },
    "events": dict.fromkeys(
        word_list(
            "task deadline crew team photographer stylist hair makeup assignee meeting studio "
            "booking call step fitting"
        ),
        1.0,
    )
    | {"task": 1.5},
    "media": dict.fromkeys(
        word_list("asset image photo picture shot video content visual footage retouch edit frame"),
        1.0,
    ),
}
KIT_CUE_CAP = 1.5

# Channel names as users say them (longest phrase wins) -> the channel value skills use.
CHANNEL_ALIASES: dict[str, tuple[str, ...]] = {
    "instagram_story": (
        "instagram story",
        "instagram reel",
        "story",
        "reel",
    ),
    "web_hero": (
        "web hero",
        "website hero",
        "homepage hero",
        "site hero",
        "hero banner",
        "homepage banner",
        "landing page",
        "home page",
        "homepage",
        "website",
        "web",
        "site",
        "banner",
    ),
    "ecommerce": (
        "ecommerce",
        "e commerce",
        "product page",
        "pdp",
        "online store",
        "webshop",
        "shop",
        "plp",
    ),
    "instagram_feed": (
        "instagram feed",
        "instagram grid",
        "instagram post",
        "instagram",
        "feed",
        "grid",
        "carousel",
    ),
    "tiktok": ("tiktok", "tik tok"),
    "youtube": ("youtube", "you tube"),
    "print": ("print", "magazine", "billboard", "lookbook", "poster"),
}

# Windows of time a question can be limited to (the skills turn them into dates). The longest
# phrase wins, so "next week" is next_week although it holds "week".
TIMEFRAMES: dict[str, tuple[str, ...]] = {
    "today": ("today", "tonight", "this morning", "this afternoon", "this evening"),
    "tomorrow": ("tomorrow",),
    "this_week": ("this week", "week", "next few days", "coming days", "weekend"),
    "next_week": ("next week", "following week", "week after", "the week after"),
}


HERO_TERMS: tuple[str, ...] = ("hero", "heroes")

# Words that ask for the items themselves to be named.
NAME_REQUEST_TERMS: tuple[str, ...] = ("which", "who", "whose", "list", "name", "what are they")

# Follow-up kinds found from cue phrases; filter_hero, category, timeframe and channel come
# from the entities. When several are present the first kind in this order is reported.
FOLLOW_UP_ORDER: tuple[str, ...] = (
    "channel",
    "filter_hero",
    "category",
    "timeframe",
    "list_items",
    "details",
)
FOLLOW_UP_CUES: dict[str, tuple[str, ...]] = {
    "list_items": (
        "which",
        "who",
        "show me",
        "names",
        "list them",
        "name them",
        "what are they",
        "show them",
        "which one",
        "whose",
    ),
    "details": (
        "why",
        "how come",
        "how so",
        "more",
        "tell me more",
        "more details",
        "details",
        "detail",
        "explain",
        "elaborate",
        "what else",
        "go on",
        "information",
    ),
}
# Openings that tie a short message to the previous turn ("and ...", "what about ...").
FOLLOW_UP_MARKERS: tuple[str, ...] = (
    "and",
    "what about",
    "how about",
    "only",
    "just",
    "also",
    "but",
    "then",
    "so",
    "ok",
    "okay",
)
FOLLOW_UP_MAX_TOKENS = 6
# Kinds that only make sense after certain kits: a channel question after a logistics answer
# is a new media question, not a follow-up.
FOLLOW_UP_KITS: dict[str, tuple[str, ...]] = {"channel": ("media",), "category": ("logistics",)}
# Previous turns that carry nothing to follow up on.
NO_CONTEXT_INTENTS: frozenset[str] = frozenset({"greeting", "unknown"})
# A refinement with nothing to refine ("and the hero pieces?" as the first message) still
# asks about the pieces it names: kind -> page kit -> intent ("*": any other page).
NO_CONTEXT_FOLLOW_UPS: dict[str, dict[str, str]] = {
    "filter_hero": {"media": "coverage_gaps", "*": "readiness_check"},
    "category": {"*": "readiness_check"},
}

# "<verb> <sample name> <verb>" shapes; the named group q is the sample the user means.
# They run on the normalised text, so "where's" is already "where is".
# "Where is X" and "is X here" are asked of places and people too ("where is paris"): what
# they name is a sample only when it looks like one (SAMPLE_NOUNS, or a number: "look 12").
VAGUE_SAMPLE_QUERY_PATTERNS: tuple[str, ...] = (
    r"\bwhere (?:is|are) (?P<q>.+)",
    r"^(?P<q>.+?) where (?:is|are) (?:it|they)\b",
    r"\bis (?P<q>.+?) (?:here|on set|at the studio)\b",
    r"\bis (?P<q>.+?) in(?: yet)?$",
    r"\b(?:check|checking|chase|chasing|follow up) on (?P<q>.+)",
)
# The verb of these says the thing is shipped, tracked or due: whatever they name is a sample.
SAMPLE_QUERY_PATTERNS: tuple[str, ...] = (
    r"\bstatus (?:of|on|for) (?P<q>.+)",
    # A SKU names a sample wherever it stands ("status SKU 55-102?").
    r"\b(?P<q>sku(?: \d+)+)\b",
    r"\b(?:track|tracking|trace|locate|find)(?: number)?(?: (?:for|of|on))? (?P<q>.+)",
    r"\beta(?: (?:for|of|on))? (?P<q>.+)",
    r"\b(?:news|update|updates) (?:on|about|for) (?P<q>.+)",
    r"\bwhat happened to (?P<q>.+)",
    r"\b(?:has|have|did) (?P<q>.+?) (?:arrived?|landed|land|shipped|ship|come in|turned up|"
    r"turn up|show up|shown up|been delivered|get delivered|cleared customs|cleared|made it|"
    r"been received|got here)\b",
    r"\bis (?P<q>.+?) (?:delivered|arrived|in transit)\b",
    r"\bwhen (?:will|does|is|do|are) (?P<q>.+?) (?:arrive|arriving|get here|getting here|land|"
    r"landing|be here|due|come|coming|turn up|show up)\b",
)
# Dropped from the ends of a sample query: "the red dress yet please" -> "red dress".
SAMPLE_QUERY_TRIM_START: frozenset[str] = frozenset(
    word_list("the my our a an that this those these me us sample samples called named")
)
SAMPLE_QUERY_TRIM_END: frozenset[str] = frozenset(
    word_list(
        "yet now today tomorrow please already exactly at the moment right on set here for me us "
        "ever finally actually"
    )
)
# Nouns that make a vague query a sample ("where is the Miu Miu cardigan"): the garment words
# of the categories and the logistics kit cues.
SAMPLE_NOUNS: frozenset[str] = frozenset(
    [
        *(term for terms in CATEGORY_TERMS.values() for term in terms),
        *KIT_CUES["logistics"],
        *word_list("sku top tops suit slip sample look piece item jumper kimono cape vest"),
    ]
)
# A query made only of these words names no particular sample ("where are the samples?").
GENERIC_QUERY_WORDS: frozenset[str] = frozenset(
    word_list("""
    sample samples garment garments look looks piece pieces item items thing things stuff
    everything anything everyone anyone someone something all it they them shoot campaign set
    production project day delivery deliveries order rest others parcel parcels package
    packages shipment shipments box boxes courier couriers pull pulls full whole entire
    complete
    """)
)
