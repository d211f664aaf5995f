"""Step 2 of triage, as data: the word classes and the words around a sign.

Patterns are read over normalised tokens (see `normalize.py`) and always match whole words:
* `{name}`   any word of the word class `name` (below);
* `a|b|c`    one of these words;  `[a|b]` the same, optional;
* `~`        up to four filler words ("is", "feels", "really", "kind of", "all", ...);
* `…`        up to four words of any kind, within one sentence and not naming another body site
             ("my lips are like really really puffy", "throat feels weird and tight").
The signs themselves (CONCEPTS) are in `signs.py`; this module holds the word classes, modifiers,
severity words and the phrasings that look like a sign but are not one.
"""

from __future__ import annotations

from bot.domain.triage.model import Modifier, Severity
from bot.domain.triage.signs import CONCEPTS as CONCEPTS  # the signs, in the order they are tried
from bot.domain.triage.signs import Pattern


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


WORDS: dict[str, frozenset[str]] = {
    # --- body ---
    "face": words(
        "face faces facial lip lips tongue tongues mouth eyelid eyelids eye eyes cheek cheeks "
        "jaw chin gum gums palate uvula ear ears nose forehead neck"
    ),
    "mouth": words("lip lips mouth tongue tongues gum gums palate roof cheeks"),
    "throat": words("throat throats airway airways windpipe"),
    "chest": words("chest lungs lung"),
    "limb": words("hand hands feet foot toe toes finger fingers fingertips leg legs arm arms knees"),
    "site": words(
        "thigh thighs leg legs arm arms tummy belly abdomen stomach tum site bum butt buttock "
        "buttocks hip hips shoulder shoulders spot tricep triceps glute"
    ),
    # --- airway and breathing ---
    "swollen": words(
        "swell swells swelled swelling swollen puffy puffed puffing puff puffs puffier "
        "puffiness bloated ballooned ballooning balloon inflated enlarged engorged"
    ),
    "big": words(
        "big bigger huge enormous massive fat fatter thick thicker giant double doubled large "
        "larger heavy tight"
    ),
    "breathe": words("breathe breath breathing breathes breathed breaths breather breed breeding breeth"),
    "hard": words(
        "cannot unable struggling struggle struggled struggles hard harder difficult "
        "difficulty difficulties trouble troubles problem problems issue issues tough tricky "
        "labored laboured fighting fight effort impossible catch"
    ),
    "tight": words(
        "tight tighter tightness tightening tightens tightened closing closed close closes "
        "squeezing squeezed squeeze crushing constricted constricting restricted narrow "
        "narrowing blocked clogged shut shutting heavy"
    ),
    "swallow": words("swallow swallowing swallowed swallows gulp gulping gulped gulps"),
    "changed": words("hoarse husky croaky raspy strange weird funny gone changed different squeaky off"),
    # --- faint ---
    "soon": words("about going nearly almost might may could will gonna"),
    "faint": words("faint fainted fainting feint"),
    "remember": words("remember recall"),
    "floor": words("floor ground deck carpet rug tiles pavement lino floorboards"),
    # --- dose and technique ---
    "dose": words(
        "dose doses dosage shot shots jab jabs injection injections amount vial vials ampoule "
        "ampoules ampule syringe ml mls mg mcg b12 plunger pen pens"
    ),
    "take": words(
        "take taking took do doing did inject injecting injected have give giving gave use using used"
    ),
    "two": words("two 2 both double"),
    "technique": words("needle needles syringe"),
    "broken": words(
        "bent bend bending broke broken snapped snap dropped fell reused reuse dirty twice "
        "again contaminated touched blunt off apart"
    ),
    "leak": words(
        "leak leaked leaking leaks spilled spilt spill squirted dripped dripping spurted "
        "dribble dribbled dribbling trickled seeped"
    ),
    "product": words(
        "strength brand product vial bottle medicine medication concentration type kind "
        "box label ampoule ampoules"
    ),
    "changed_to": words("different changed switched"),
    "question": words("should can could do may must is am"),
    # --- comparisons ---
    "comparative": words(
        "worse redder bigger larger sorer hotter puffier itchier angrier darker harder wider more"
    ),
    "before": words(
        "morning yesterday before earlier night last lunchtime breakfast day hour hours "
        "ago week it i this that the"
    ),
    "fever_number": words(
        " ".join(f"{t / 10:.1f}" for t in range(378, 425))
        + " 38 39 40 41 "
        + " ".join(f"{t / 10:.1f}" for t in range(1000, 1070))
        + " 100 101 102 103 104 105"
    ),
    "day_number": words(" ".join(str(d) for d in range(1, 32))),
    "landmark": words(
        "knee knees hip navel ankle elbow wrist groin back side ribs calf belly armpit shoulder bum"
    ),
    # a day some time back: the reaction has outlasted the days since
    "earlier": words(
        "monday tuesday wednesday thursday friday saturday sunday week weeks weekend fortnight previous "
        "time follow followup review before term holiday holidays half"
    ),
}

# Filler words allowed in a `~` gap.
FILLER = words(
    "is are am was were be been being feel feels felt feeling look looks looked looking seem seems "
    "seemed get gets getting got gone go goes going went become becomes became turn turned turning "
    "so really very like kind sort of all a bit little super proper totally completely quite pretty "
    "rather just now suddenly slightly tad sounds sound sounding coming came awful dead wicked fierce "
    "mighty crazy hella majorly bloody freezing boiling today tonight her him them right keeps keep kept "
    "keeping "
    "extremely incredibly "
    "mega well too "
    "more and starting started "
    "to has have had it they them their my the this that up out real awfully terribly seriously "
    "literally definitely even also still abit weirdly strangely oddly massively noticeably visibly "
    "i think kinda sorta omg honestly actually properly somehow right in on around both whole "
    "badly abnormally unusually any absolutely utterly wee teeny tiny smidge"
)

# Tokens a gap never crosses: the end of a sentence, and a turn in it.
BREAKS = words(". but however although though except whereas otherwise apart")


# "It hasn't gone down", "won't stop bleeding": something is still there, even unnamed.
LINGERING: tuple[Pattern, ...] = (
    "not|never ~ going|gone|go|went ~ away|down", "not ~ stop|stopping|stopped|stops",
    "will ~ not ~ go|budge|shift|clear|settle", "not ~ easing|eased|subsiding|subsided|calming|letting",
    "mark|marks|spot|patch|dot …+ still ~ there|visible|showing",
    "not ~ cleared|settled|faded|shrunk|healed|improved|improving|better|changed|shifted|resolved|gone|"
    "disappeared|shrinking|smaller|fading|healing",
)  # fmt: skip

MODIFIERS: tuple[tuple[Modifier, tuple[Pattern, ...]], ...] = (
    (Modifier.SPREADING, (
        "spread|spreads|spreading|spreaded|spreads|expanding|expanded|expands|growing|grown|grows|grew",
        "getting|gotten|got|gone|grown|went ~ bigger|larger|wider",
        "bigger|larger|wider",
        "red|redness ~ line|lines|streak|streaks|track|tracks|stripe|stripes|trail|band",
        "streak|streaks|streaking|tracking",
        "moving|moved|creeping|crept|travelling|traveling|travelled|running|extends|extended|"
        "extending ~ up|down|across|along|towards|into|round|around|approximately|about|beyond|past|further",
        "beyond|past ~ its|the ~ original|first|starting ~ margin|edge|border|line|size|mark",
        "all over ~ my|the ~ {site}",
        "spread|spreading|gone|going|went|moving|moved|creeping|tracking|running ~ down|up ~ my ~ leg|arm|"
        "thigh|side",
        "size ~ of ~ a|an|my ~ palm|hand|fist|orange|saucer|plate|tennis|golf|egg|lemon|grapefruit|"
        "coaster|cd|dinner|apple",
        "twice|double|doubled ~ the ~ size", "doubled|tripled",
        "was …+ size …+ now", "size …+ now ~ more|bigger|like|about", "was …+ now ~ more ~ like",
        "over|past|beyond|outside ~ the ~ line|pen|mark|circle",
        "reaches|reached|reaching|reach ~ my|the ~ {landmark}", "up|down|round ~ to ~ my|the ~ {landmark}",
        "as ~ far ~ as ~ my|the ~ {landmark}",
        "gone|grown|went|go|going ~ from …+ to",
        "whole|entire ~ front|side|back|top|bottom|half ~ of ~ my|the ~ {site}|{landmark}",
        "whole|entire ~ {site}|{landmark}",
        "creeping|spreading|moving|going|growing ~ outwards|outward|out",
        "moved|moving|travelled|travelling|moves ~ from|down|up|into|towards",
        "stretching|stretches|stretched|extending|extends ~ halfway|across|over|down|up|round|around",
    )),
    (Modifier.WORSENING, (
        "worse|worsening|worsened|worsens|worsen|deteriorating|deteriorated|escalating|flaring|flared",
        "getting ~ bad|badder",
        "more ~ red|swollen|painful|sore|itchy|tender|inflamed|hot|angry|puffy|big|large|wide|raised",
        "{comparative} ~ every|each ~ day|hour|morning",
        "from ~ a ~ bit|little|mild|slightly …+ to ~ really|very|so|proper|quite|severe|agony",
        "went|gone|going|come|came ~ up ~ overnight|more|again|loads|lots|since",
        "{comparative} ~ than ~ {before}",
        "increasing|increased|intensifying",
        "more ~ and ~ more",
        "bigger ~ and ~ bigger",
        "worse ~ and ~ worse",
        "worse|redder|bigger|larger|sorer|hotter|puffier|itchier|angrier|darker|wider ~ and ~ {comparative}",
        "today|tonight|now ~ worse|redder|bigger|larger|sorer|hotter|puffier|itchier|angrier|darker|wider",
        "keeps|keep ~ getting|growing",
        "slowly|gradually|steadily ~ getting|going|becoming", "even more", "not ~ getting ~ better",
        "getting ~ redder|sorer|hotter|puffier|itchier|angrier|darker|harder",
        "redder|sorer|hotter|puffier|itchier|angrier|darker ~ now|today|tonight|again",
    )),
    (Modifier.PERSISTENT, (
        "for ~ days|weeks|ages|while", "still ~ there ~ after|since|for", *LINGERING,
        "still …+ before ~ last", "{dose}|one ~ before ~ last",
        "still …+ {earlier}", "{earlier} …+ still",
        "all ~ week|weekend",
        "since ~ [last] ~ monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend",
        "since ~ the ~ {day_number} ~ st|nd|rd|th",
        "all ~ through|over ~ half|the ~ term|holiday|holidays|week",
        "days ~ later|now|on", "no better", "no change",
        "third|fourth|fifth ~ day", "day ~ 3|4|5|6|7|three|four|five",
    )),
)  # fmt: skip

SEVERITY: tuple[tuple[Severity, tuple[Pattern, ...]], ...] = (
    (Severity.SEVERE, (
        "severe|severely|agony|agonising|agonizing|excruciating|unbearable|horrendous|horrific|extreme|"
        "extremely|terrible|terribly|awful",
        "cannot ~ bear|stand|walk|sleep|move|sit|touch|lift|use|cope",
        "could|can ~ not|hardly|barely ~ sleep|walk|bear|stand|move|sit|cope|touch",
        "stabbed|knifed ~ me|with", "hot ~ poker|knife", "like ~ a ~ knife|knives|daggers|poker",
        "hurts|hurt|hurting|pain|painful|sore ~ more|worse ~ than ~ when|childbirth|labour|labor|broke|"
        "breaking",
        "cannot ~ put ~ weight|pressure",
        "woke|waking|wakes ~ me ~ up", "kept|keeping|keeps ~ me ~ up|awake",
        "worst ~ pain|ever",
        "10/10|9/10|8/10", "8|9|10 ~ out ~ of ~ 10", "worst ~ one|ever", "like ~ mad|crazy|hell",
        "hurt|hurts|hurting ~ that|so ~ much", "killing me", "screaming|crying|cried|cry|tears",
        "really|very|so ~ bad", "massive|huge|enormous … pain|swelling|lump|reaction",
    )),
    (Severity.MODERATE, (
        "moderate|moderately", "quite|pretty|fairly|really|very|so ~ sore|painful|red|swollen|itchy|tender|"
        "bruised|hot",
        "lot|lots",
    )),
    (Severity.MILD, ("mild|mildly|slight|slightly|minor|tiny|small|little|bit|faint|barely",)),
)  # fmt: skip

# Words that make a message sound like a symptom even when it names no sign: such a message gets
# the red-flag screen (one tap), never "didn't catch that".
UNEASY = words(
    "feel feels feeling felt weird strange funny odd unwell ill poorly wrong bad awful terrible "
    "horrible scared worried worry worrying frightened panic panicking off rough"
)
SYMPTOM_HINTS = (
    WORDS["face"]
    | WORDS["throat"]
    | WORDS["chest"]
    | WORDS["limb"]
    | words("skin head heart body back side neck wrist ankle muscle muscles joint joints")
    | UNEASY
    | words(
        "symptom symptoms side effect effects reaction react reacted reacting allergic help "
        "emergency ambulance hospital urgent urgently shaky shaking trembling sweating sweaty pale "
        "hurt injured fell fall problem problems issue concerned concerning mark marks blister "
        "scab lump"
    )
)
# ...unless the message is plainly good news ("feeling great since starting b12").
GOOD_NEWS = words(
    "great good fine well ok better brilliant lovely happy amazing fantastic grand perfect "
    "normal alright relief relieved proud energy energetic"
)

# Word sequences that look like a sign but are not one (skipped before matching).
# A question about the injection or the medicine itself (storing it, preparing the skin, the
# needle, the angle) is for the clinician who wrote the plan; a question about using the bot is not.
INJECTION_TALK = words(
    "vial vials ampoule ampoules syringe syringes needle needles fridge refrigerator freezer store "
    "storing storage stored alcohol wipe wipes swab swabs angle pinch pinching sharps dispose "
    "disposal inject injecting injected injection injections dose doses dosage ml mls mcg mg b12 jab "
    "jabs shot shots cyanocobalamin hydroxocobalamin methylcobalamin medicine medication liquid "
    "solution plunger skin batch"
)
BOT_TALK = words(
    "next when remind reminder reminders history log logged record records export chart "
    "calendar settings setting button buttons app bot pause resume snooze timezone report reports "
    "sites site track tracking mean means meaning stand reminders remind"
)

# A rash or a welt only where the needle went in is a local reaction, not an allergy elsewhere.
AT_THE_SITE = (
    "where the needle", "where i injected", "where i inject", "where it went in", "at the site",
    "injection site", "the site", "around the jab", "round the jab", "jab site", "around the injection",
    "at the injection", "injection spot", "on the spot", "where i did it", "where i put it",
)  # fmt: skip
ELSEWHERE = words("everywhere body chest back neck face arms legs scalp feet hands all over spreading")

NOT_SIGNS: tuple[Pattern, ...] = (
    "batch|vial|vials|ampoule|ampoules|liquid|solution|bottle|box …+ darker|lighter|bright|deep ~ red|pink",
    "batch|vial|vials|ampoule|ampoules|liquid|solution|bottle|box …+ red|pink|redder|reddish",
    "boil ~ the ~ kettle|water|needle|needles",
    "blood ~ test|tests|results|result|work|levels|level|pressure|sugar|sugars|count|draw",
    "red ~ letter|wine|cap|top|lid|label|car|light|pen|dress|shirt|jumper|sauce|meat|pepper|onion|"
    "flag|flags|tape",
    "red|pink ~ liquid|solution|colour|color|stuff ~ in|of ~ the|my ~ vial|syringe|ampoule|bottle",
    "red|pink ~ vial|vials|syringe|ampoule|ampoules|bottle|box|box's",
    "heat ~ wave|up|it",
    "hot ~ water|bath|shower|drink|tea|coffee|weather|day|outside|summer|tub|chocolate|food|curry",
    "nappy|diaper|heat|razor|sweat ~ rash", "itching|itchy ~ to ~ get|go|start|finish|see|know|try|be",
    "warm ~ water|bath|shower|room|up|weather|day|it",
    "pain ~ in ~ the ~ neck|bum", "pain ~ killer|killers|relief|relievers",
    "sore ~ loser", "bump ~ into|in_to",
    "tired ~ of ~ the|these|this|injections|jabs", "sick ~ of",
    "pass ~ the", "pass ~ on", "black ~ friday",
    "chest ~ freezer", "flu ~ jab|shot|vaccine|jabs|shots|vaccination",
    "heat ~ pack|pad|packs", "warm|warmed|warming ~ the|it ~ vial|syringe|ampoule|up",
)  # fmt: skip
