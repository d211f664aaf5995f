"""Step 2 of triage, as data: the everyday words for each sign, British and American.

Patterns are read over normalised tokens (see `normalize.py`) and always match whole words:
* `{name}`   any word of the word class `name` (below);
* `a|b|c`    one of these words;  `[a|b]` the same, optional;
* `~`        up to four filler words ("is", "feels", "really", "kind of", "all", ...);
* `…`        up to four words of any kind, within one sentence and not naming another body site
             ("my lips are like really really puffy", "throat feels weird and tight").
Concepts are tried in the order written, and a word read as part of one sign is not read again
for a later one: "tingling lips" is a mouth sign (a possible allergy), not a nerve symptom.
"""

from __future__ import annotations

from bot.domain.triage.model import Modifier, Severity, Sign


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

Pattern = str
CONCEPTS: tuple[tuple[Sign, tuple[Pattern, ...]], ...] = (
    (Sign.ANAPHYLAXIS, (
        "anaphylaxis", "anaphylactic", "anaphylactoid", "epipen|epipens|epinephrine|adrenaline",
        "epi pen|pens", "allergic shock", "epi|adrenaline ~ shot|jab|injection|pen",
        "gave|given|had|used ~ me|my ~ epi|adrenaline",
    )),
    (Sign.BREATHING, (
        "{hard} … {breathe}",
        "not able to {breathe}",
        "{breathe} ~ hard|difficult|tough|laboured|labored|shallow|short|fast|rapid|wheezy|noisy|tight|"
        "funny|weird|strange|off|heavy|harder|struggle|struggling|problems|issues|trouble|difficulty|"
        "rattly|raspy|whistly|whistling|gone|squeaky|crackly|gurgly|laboured",
        "{breathe} ~ through ~ a ~ straw",
        "to ~ get|catch ~ my ~ {breathe}", "stopping|stop|stopped ~ to ~ {breathe}",
        "noisy|loud|whistling|whistly|rattly|wheezy|squeaky|raspy|heavy|laboured|fast|rapid|"
        "shallow ~ {breathe}",
        "puffed|puffing ~ out",
        "{breathe} … back",
        "out ~ of ~ puff",
        "puffing|huffing ~ and ~ panting|puffing",
        "i ~ am ~ puffing|panting", "panting", "like ~ i ~ have|had ~ run|ran ~ a ~ marathon",
        "cannot ~ fill ~ my ~ {chest}", "{chest} ~ not|cannot|will ~ fill|filling|open|expand|inflate",
        "air ~ stops|stopping|stuck|not ~ going|getting|halfway",
        "short|shortness of {breathe}", "out of {breathe}", "lost [my] {breathe}",
        "breathless|breathlessness|breathlessly|winded|sob",
        "wheeze|wheezy|wheezing|wheezed|wheezes|wheezey|whistling",
        "gasp|gasping|gasped|gasps",
        "{hard} … air", "no ~ air", "not enough ~ air", "air hunger", "struggling|fighting|gasping for air",
        "cannot get ~ air", "cannot catch ~ {breathe}", "{chest} ~ {tight}", "{tight} … {chest}",
        "tightness|pressure … {chest}", "{chest} ~ pressure|weight|crushing|squeezing",
        "choke|choking|choked|chokes|chocking|choaking",
        "suffocating|suffocate|suffocated|smothering|smothered|strangled",
        "lips|fingers|face ~ blue|grey|gray",
        "asthma|inhaler ~ attack|again|help", "inhaler ~ not ~ working|helping",
    )),
    (Sign.CHEST_PAIN, (
        "{chest} ~ pain|pains|hurts|hurting|ache|aching|achy|sore|crushing|heavy|heaviness|burning",
        "pain|pains|ache|aching|crushing|heaviness ~ in|across ~ my|the ~ {chest}", "heart ~ attack",
    )),
    (Sign.STROKE, (
        "slurred|slurring ~ speech|words|talking|voice", "speech|words|talking ~ slurred|slurring|garbled",
        "cannot ~ speak|talk|get ~ my|the ~ words ~ out", "cannot ~ speak|talk ~ properly|clearly|straight",
        "face|mouth|eye|smile ~ drooping|droopy|dropped|drooped|lopsided", "drooping|droopy ~ face|mouth|eye",
        "one ~ side …+ weak|numb|dead|droop|drooping|paralysed|paralyzed|floppy",
        "cannot ~ lift|raise ~ my ~ arm|arms|leg", "stroke|mini-stroke",
    )),
    (Sign.THROAT, (
        "{throat} ~ {tight}", "{tight} … {throat}", "{throat} ~ {swollen}|thick|thicker|fat|narrow",
        "{swollen} ~ {throat}",
        "{hard} … {swallow}",
        "{swallow} ~ hard|difficult|painful|tricky|problems|trouble|weird|thick|funny|strange|tight|blocked|"
        "odd",
        "lump ~ in ~ {throat}", "{throat} ~ lump", "stuck|lodged|caught ~ in ~ {throat}",
        "{throat} ~ small|smaller|tiny|narrower",
        "sound|sounds|sounding|voice ~ like ~ frog|toad|croak|smoker|chipmunk|duck",
        "croak|croaking|croaky|froggy", "hurts|hurt|painful|pain|sore ~ to ~ {swallow}",
        "stuck ~ half|halfway ~ way|down",
        "hands|hand|grip|grabbing|squeezing ~ round|around|on ~ my ~ {throat}",
        "voice ~ {changed}", "{changed} voice", "lost ~ voice",
        "hoarse|hoarseness|croaky",
        "drooling|drool",
    )),
    (Sign.FACE_SWELLING, (
        "{face} … {swollen}", "{swollen} ~ {face}", "{face} ~ {big}", "{big} ~ lips|tongue|face|eyelids",
        "{face} …+ filler|fillers|botox|balloon|balloons|puffer|pufferfish|sausage|sausages|bee|stung|wasp|"
        "boxer|punched|hamster|elephant|blowfish",
        "{face} … blown|blowing|blew ~ up",
        "{face} ~ come|came|coming|gone|went|puffed ~ up",
        "look ~ like ~ boxer|balloon|pufferfish", "{face} ~ blown up",
        "swollen shut|closed", "eyes ~ shut|closing|closed ~ up",
        "angioedema|angioedaema",
    )),
    (Sign.FAINT, (
        "fainted|fainting|faints|blackout|blackouts|faintness",
        "feel|feels|feeling|felt|going|gone|went|turning|came|come|coming|comes ~ faint|faintish|fainty|"
        "feint|fant",
        "came|come|coming|comes ~ over ~ faint|funny|dizzy|woozy|peculiar",
        "went|was|been|gone ~ out ~ for … seconds|second|minute|minutes|while|bit",
        "{soon} ~ drop|collapse|keel|faint|fall", "next ~ thing ~ i ~ know|knew",
        "must ~ have ~ passed|blacked|gone|fainted ~ out", "came|come|coming ~ round|to ~ on ~ the",
        "went|go|going ~ down ~ like", "greyed|grayed|whited ~ out", "out ~ like ~ a ~ light",
        "a ~ funny|little|bad|dizzy ~ turn|spell|episode", "dropped|fell|slumped ~ to|on ~ the ~ {floor}",
        "not|cannot ~ {remember}|know ~ what ~ happened",
        "{soon} ~ {faint}",
        "{soon} ~ pass out",
        "{soon} ~ go|drop|hit ~ down|over|floor",
        "feel|feels|feeling|felt ~ like ~ {soon} ~ {faint}|collapse",
        "pass|passed|passing|passes ~ out", "black|blacked|blacking ~ out",
        "everything|vision|world|eyes ~ went|going|gone|goes|turning|turned ~ black|dark|dim|grey|gray|white",
        "collapse|collapsed|collapsing|collapses", "keel|keeled|keeling ~ over",
        "conked|zonked ~ out", "out cold", "lost|losing|lose ~ consciousness",
        "unconscious|unresponsive", "hit the {floor}", "woke|waking|woken|came|come ~ up|to|round … {floor}",
        "on the {floor} … cannot|not ~ {remember}", "found|finding ~ me|myself ~ on the {floor}",
        "fell|fall|falling|fallen …+ not|cannot ~ {remember}", "not|cannot ~ {remember} ~ falling|fall|fell",
        "not|cannot ~ {remember} ~ how ~ i", "not|cannot ~ {remember} ~ going ~ down|over",
        "dropped ~ like ~ a ~ stone|fly|sack",
    )),
    (Sign.MOUTH, (
        "{mouth} ~ tingle|tingles|tingling|tingly|itchy|itching|itch|itches|prickly|prickling|buzzing|"
        "burning|numb|fizzy|fizzing|funny|weird|strange|odd|metallic|tickly|furry|sensitive|tickle|tickling",
        "tingle|tingles|tingling|tingly|itchy|itching|prickly|prickling|numb|burning|fizzy ~ {mouth}",
        "{throat} ~ itchy|itching|itches|scratchy|tickly|tickling|prickly|funny|weird",
        "itchy|itching|scratchy|tickly ~ {throat}",
    )),
    (Sign.ALLERGY, (
        "allergic|allergy|allergies ~ reaction|reacting|reactions",
        "allergic|allergy ~ to ~ it|the|b12|this|them|injection|injections|jab|shot|cobalamin|"
        "cyanocobalamin|hydroxocobalamin|methylcobalamin|vitamin",
        "having|had|getting|got|think|maybe|might|could|possible|possibly|like|an|some|bad ~ allergic",
        "reacting|reaction ~ to ~ the|it|this|b12|injection|injections|jab|shot|stuff",
    )),
    (Sign.PUS, (
        "pus|puss|pussing", "ooze|oozing|oozes|oozed|oozy", "discharge|discharging",
        "weeping|weeps|wept",
        "yellow|green|greenish|yellowish|smelly|stinky|gross|cloudy|creamy|milky|whitish ~ water|"
        "stuff|fluid|liquid|goo|gunk|crust|discharge|bit|blister",
        "infected|infection|infections|infecting|abscess|cellulitis", "smells|smelly|stinks|stinky",
        "gunk|goo|muck|gloop|gunge ~ coming|came|comes ~ out", "gunk|gunge|gloop|goo",
        "boil|boils", "yellow|green|white ~ head|top|centre|center|middle|dot|tip",
        "bit ~ of ~ green|yellow", "green|yellow ~ in ~ the ~ middle|centre|center",
        "leaking ~ fluid|stuff|yellow|pus",
    )),
    (Sign.UNSURE, (
        "extra ~ {dose}|one",
        "another ~ {dose}|one ~ today|now|tonight|?",
        "double|doubled|doubling ~ up|dose|doses|dosed|shot|jab",
        "{two} ~ shots|doses|injections|jabs|today|tonight|together", "{two} ~ in ~ one|a ~ day",
        "catch|catching ~ up", "make|making ~ up ~ for", "make up dose|doses",
        "top|topping ~ up", "{take} ~ 2|two|both|double ~ {dose}|today|tonight|now|ones",
        "twice ~ today|tonight", "twice ~ in ~ one|a ~ day", "twice ~ by ~ mistake|accident",
        "{take}|done ~ twice",
        "{take}|gave|given|drew|drawn|put|pushed|myself ~ too ~ much|little",
        "too much|little ~ {dose}|b12|liquid|medicine|in",
        "{take}|gave|given|drew|drawn|put|pushed ~ not enough", "not enough ~ {dose}|b12|liquid|medicine|in",
        "half|part|some|most ~ of ~ the|my ~ {dose}|liquid|stuff", "half ~ of ~ it",
        "half|partial ~ {dose}",
        "only ~ half|part|some", "half ~ in|went",
        "drew|draw|drawn ~ up …+ instead|wrong|extra|only|half|less|more",
        "instead ~ of ~ my|the ~ usual|normal",
        "out ~ the ~ other ~ side", "most|half|some ~ of ~ it ~ went|ended|came ~ on|out|everywhere",
        "{question} i ~ {take} … ml|mls|mcg|mg|units|amount|micrograms",
        "is ~ that|it|this ~ ok|okay|safe|alright|fine ~ to ~ use|inject|take|do|give",
        "instead …+ {technique}|{dose}", "{technique}|{dose} …+ instead",
        "do|take|inject|give|doing|taking ~ two|2|both|double", "should|do|can|must ~ i ~ skip",
        "time ~ zone|zones|difference|change …+ {dose}|{take}",
        "{dose}|{take} …+ time ~ zone|zones|difference",
        "jet ~ lag|lagged …+ {dose}|{take}", "{dose}|{take} …+ jet ~ lag|lagged",
        "already ~ had|have|done|did|taken ~ it|one|today|mine",
        "might|may ~ have ~ done|had|taken|given ~ two|twice|both",
        "whole|full|entire ~ ampoule|vial|bottle|syringe", "from ~ a ~ second|another ~ one|ampoule|vial",
        "date ~ on ~ it|the …  passed|gone|expired|over", "old ~ ampoule|vial|ampoules|vials|bottle|needles",
        "liquid|solution|medicine|stuff|vial|ampoule … cloudy|bits|particles|floating|discoloured|lumpy|"
        "crystals|frozen",
        "{question} i ~ go|come ~ down|up|back", "less|fewer|more ~ often|injections|jabs|shots",
        "ml|mls|mg|mcg|micrograms|milligrams ~ right|correct|enough|ok|okay",
        "box|label|pack|packet ~ says|said",
        "plan|prescription ~ says|said …+ but", "{technique}|{dose} …+ how ~ do|should|can ~ i",
        "how ~ do|should|can ~ i ~ inject|draw|measure|fill|give|split|mix|do ~ it|that|this|more|the|a|my",
        "into|in ~ the ~ skin", "top ~ layer", "not ~ under|deep ~ enough|the", "went ~ in ~ flat|sideways",
        "into|in ~ muscle|muscles|vein|veins|vessel",
        "not ~ pinch|pinched",
        "90 ~ degrees",
        "bits ~ of ~ glass",
        "glass …+ syringe|needle|in", "{take} …+ is ~ that|it ~ wrong|ok|okay|safe|alright|bad|problem",
        "restart|restarting", "start ~ again|over", "stretch ~ them|it ~ out",
        "i ~ must|should|need ~ {take} ~ two|both|double|extra|another",
        "says|said …+ but …+ says|said", "{question} i ~ go|switch|move|change ~ from|to",
        "batch|vial|vials|ampoule|ampoules|bottle|box|liquid|solution …+ different|darker|lighter|cloudy|"
        "colour|color",
        "same ~ stuff|medicine|product|thing ~ ?",
        "too ~ far|deep",
        "hit|hitting|nicked ~ vein|vessel|nerve|muscle|bone",
        "keep ~ going|doing|taking|injecting ~ the ~ same",
        "still ~ need ~ these|them|it|injections|jabs|shots|b12",
        "levels|level|results|result|bloods ~ normal|fine|ok|good|back|high|low ~ now|so|should|do|can",
        "level|levels|result|results …+ do|should|can ~ i",
        "more|less ~ than ~ i ~ should|was|am|meant|supposed|prescribed",
        "more|less ~ than ~ prescribed|supposed|meant", "more|less ~ than ~ my|the ~ dose|plan",
        "wrong ~ {technique}|dose|amount|strength|vial|bottle|product|medicine|place|spot|site|way|route|"
        "needle|one|syringe|mark|line|ml",
        "{changed_to}|new ~ strength|brand|concentration|product|medicine|medication",
        "{changed_to} ~ {product}", "{product}|pen ~ {changed_to}|looks_different",
        "different ~ number|label|colour|color|writing", "plunger|needle|syringe|pen ~ stuck|jammed|jam",
        "if ~ i ~ did|got|gave|had ~ half|all|the ~ whole",
        "get ~ back ~ on ~ track",
        "{dose}|amount|strength ~ wrong|incorrect",
        "not ~ done|had|taken ~ mine|it|my … since",
        "pharmacy|pharmacist|chemist|prescription …+ different|changed|switched|instead|wrong|said|says|told",
        "right|correct ~ amount|dose|strength|needle|syringe|way|place|site|spot|product ~ ?",
        "by ~ mistake|accident", "mistakenly|accidentally|accidently|wrongly",
        "insulin|diabetic|different|other|wrong|long|short ~ needle|needles|syringe|syringes",
        "in|into ~ my|the ~ {site} ~ muscle|muscles|vein",
        "another|different|new ~ brand",
        "changed|switched|switching|change|switch ~ to|from ~ hydroxocobalamin|cyanocobalamin|"
        "methylcobalamin|"
        "hydroxo|cyano|methyl|tablets|pills|spray|injections",
        "instead ~ of ~ hydroxocobalamin|cyanocobalamin|methylcobalamin|injection|injections|jab|shot",
        "intramuscular|intramuscularly ~ instead|accidentally|ok|fine|better|?",
        "{question} … intramuscular|intramuscularly",
        "into|in ~ the|a|my ~ muscle|muscles|vein|veins|vessel",
                "blood ~ in|into ~ the ~ syringe|needle", "blood ~ came|coming ~ back|up|into",
        "air|big ~ bubble|bubbles", "bubble|bubbles ~ in|into ~ the|my ~ syringe|needle|dose|injection",
        "{technique} ~ {broken}", "{broken} ~ {technique}",
        "{leak} ~ out|back|everywhere|down", "leaked|leaking|leaks|spilled|spilt",
        "came|come ~ back ~ out", "came|come ~ out ~ of ~ the|my ~ skin|site|hole",
        "redo|re-do|repeat ~ {dose}|it|the", "do|inject|take ~ it ~ again",
        "and ~ then ~ again",
        "forgot|forgetting|forgotten ~ i|she|he|we|they …+ done|did|had|given|taken|gave",
        "{take}|done ~ it ~ for ~ him|her|them ~ as ~ well|too", "neither ~ of ~ us",
        "{take}|done ~ the|my|his|her|another ~ left|right|other|second ~ one|side|{site} ~ too|as|again|"
        "also",
        "wrong ~ size|sized|colour|color|gauge|length ~ needle|needles|syringe|syringes|one",
        "expired|outofdate", "out of date", "past ~ expiry|expiration|date",
        "how much ~ {question}|to|i|do|should|inject|take|draw", "how many ~ ml|mls|mg|mcg|units",
        "{question} i ~ {take} ~ extra|another|more|less|two|double|both|an_extra",
        "{question} i ~ {take} ~ it|my|the|a … muscle|intramuscular|vein|instead",
        "{question} i ~ increase|decrease|lower|raise|reduce|stop|up|cut",
        "increase|decrease|lower|raise|reduce|up|cut|change|changed|changing|adjust|alter ~ my|the ~ {dose}",
        "stop|stopping ~ taking|the|my ~ injections|b12|jabs|shots|dose|doses",
        "missed|forgot|forget|forgotten|skipped …+ should|can|do|must ~ i",
        "missed|forgot|forget|forgotten|skipped …+ what ~ do|now|should",
        "missed|forgot|forget|forgotten … now ~ i ~ must|should|need",
        "not|cannot ~ {remember} ~ if|whether ~ i",
        "not sure … {take}|{dose}|correct|properly|right", "unsure|idea … {take}|{dose}|correct|properly",
        "unsure ~ about|if|whether|how",
    )),
    (Sign.FEVER, (
        "fever|fevers|feverish|fevery|febrile", "chills|chilled|rigors|rigours",
        "high|running|raised|slight|spiking|spiked|got|have|has|had|with ~ temperature|temp|temperatures",
        "temperature|temp ~ of|up|high|over|38|39|40", "temperature|temp|fever|thermometer … {fever_number}",
        "{fever_number} ~ degrees|c|f",
        "the ~ chills", "got|get|getting|have ~ a ~ chill",
        "shivering|shivers|shivery|shiver",
        "hot ~ and|then ~ cold", "cold ~ and|then ~ hot", "sweats|clammy",
        "burning up", "flu|flulike|fluey", "achy|aching ~ all over",
        "teeth ~ chattering|chatter", "cannot ~ get ~ warm", "shaking|shivering ~ with ~ cold",
        "{fever_number} … thermometer|temp|temperature", "freezing ~ cold ~ all|then|and",
        "bit ~ of ~ a ~ temp|temperature|fever",
    )),
    (Sign.RASH_HIVES, (
        "hives|hive|urticaria|welts|welt|wheals|weals",
        "rash|rashes|blotches|blotchy",
        "bumps|spots|lumps|patches|blotches|welts ~ everywhere",
        "nettle|nettles ~ rash|stings|sting|stung", "like ~ nettle|nettles|mosquito ~ bites|stings",
        "lumps|bumps|spots|welts|blotches|patches …+ all ~ over ~ her|his|my|their|the ~ legs|arms|body|back|"
        "chest|tummy|face|neck",
        "bumps|spots|lumps|patches|blotches ~ all ~ over",
        "bumps|spots|lumps|patches|blotches ~ on|over ~ body",
        "itchy|itching|itch|itches|scratching ~ everywhere|body",
        "itchy|itching|itch|itches|scratching ~ all ~ over",
        "everywhere … itchy|itching|itch",
        "all over … itchy|itching|itch",
        "whole|entire ~ body … itchy|itching|itch",
        "patches|blotches|welts|bumps ~ all ~ up|over|down|across",
        "itching|itchy|itch …  scalp|back|chest|neck|arms|legs|body|feet|hands",
        "body ~ itchy|itching|itches", "scalp|back|chest|neck|arms|legs|body … itch|itchy|itching|itches",
        "covered ~ in ~ red|spots|bumps|blotches|patches|welts",
        "red|raised|itchy ~ patches|blotches|welts|bumps ~ on ~ my ~ chest|back|neck|face|body|arms|legs|"
        "tummy",
    )),
    (Sign.DIZZY, (
        "dizzy|dizziness|dizzyness|dizzie|lightheaded|lightheadedness|woozy|giddy|vertigo",
        "light|lite ~ headed|head|headedness",
        "head|room|world|everything ~ spinning|spins|spin|spun|swimming|swims",
        "spaced|spacey|swaying|giddiness|swimmy",
        "floor|room|ground|world ~ moving|spinning|tilting|swaying|rocking",
        "head ~ floaty|fuzzy|muzzy|light|woozy|swimmy|turning|spinning",
        "room|world|everything|floor ~ go|going|went|goes|tilting|tilted ~ sideways|round",
    )),
    (Sign.NUMBNESS, (
        "numb|numbness|numbing|numbed", "pins and needles", "pins ~ needles",
        "tingle|tingles|tingling|tingly|tingled|prickling",
        "cannot ~ feel ~ my ~ {limb}", "cannot ~ feel ~ the ~ floor|ground",
        "legs|knees ~ went|go|going|gave ~ from|out",
        "balance|unsteady|unbalanced|wobbly|wobbling",
        "hold|holding|held|grab|grabbing ~ onto|on|to ~ the ~ wall|walls|furniture|rail|railing|bannister|"
        "banister",
        "{limb} … asleep|sleep|dead",
        "{limb} ~ buzzing|buzzy|fizzing|fizzy|prickly|prickling|burning",
        "falling ~ over", "fell ~ over", "keep|keeps|kept ~ falling|tripping|stumbling|dropping",
        "clumsy|clumsier|stumbling|stumbled|tripping", "legs|knees ~ give|gave|giving|gone ~ way",
        "walk|walking ~ like ~ drunk", "cannot ~ do ~ up ~ buttons|zips|laces",
        "legs|hands ~ weak|weaker|heavy|giving|useless", "walking ~ on ~ pebbles|stones|marbles|glass",
        "like ~ wearing|have ~ gloves|socks ~ on", "burning ~ feet|hands|toes|fingers",
        "electric ~ shocks|shock", "cotton wool",
        "tripped|tripping ~ over ~ nothing|my ~ own|feet",
        "staggering|staggered|stagger|staggers ~ about|around|round|like",
        "balance ~ gone|off|shot|all ~ over",
        "legs|feet|leg|foot ~ did|do|does|will|would ~ not ~ go|do|work|listen|cooperate|behave",
        "cannot ~ feel ~ things|anything|properly|my ~ phone|keys|buttons|screen|cup",
        "wrapped|wrapping ~ in ~ sellotape|clingfilm|cling|tape|cotton|plastic", "sellotape|clingfilm",
        "socks ~ bunched|rolled|wrinkled|rucked",
        "veering|veered|veers|drifting|listing ~ to|off|sideways",
        "legs|hands|arms|feet … heavy|weak|weaker|useless",
    )),
    (Sign.CONFUSION, (
        "confused|confusion|disoriented|disorientated|muddled", "brain ~ fog|foggy", "brainfog|foggy",
        "memory ~ worse|bad|terrible|awful|going|shocking|rubbish|poor|gone|slipping|failing",
        "forgetful|forgetting ~ things|words|everything|stuff|names",
        "repeating ~ myself|things|stories|questions", "losing ~ my ~ words|thread|train",
        "forgot|forget|forgetting|forgets ~ why|what|where|how",
        "lost|losing|misplacing|misplaced ~ my ~ car|keys|phone|glasses|way",
        "left ~ the ~ gas|oven|hob|stove|door|tap|taps|iron ~ on|open",
        "about ~ my ~ memory",
        "asked|asking|said|saying ~ the ~ same ~ thing|question|things",
        "got|getting|get ~ lost", "forgetful",
        "cannot ~ think ~ straight|properly|clearly", "cannot ~ concentrate|focus",
    )),
    (Sign.HEART, (
        "palpitations|palpitation", "racing ~ heart",
        "heart ~ going|beating ~ fast|mad|crazy|hard|wild",
        "heart ~ racing|pounding|fluttering|thumping|skipping|jumping",
    )),
    (Sign.UNWELL, (
        "headache|headaches|migraine|migraines", "head ~ aches|hurts|pounding|banging|throbbing|sore",
        "nausea|nauseous|nauseated|queasy", "feel|feels|feeling|felt ~ sick|ill|unwell|poorly|rough",
        "sick to my stomach", "threw|throw|throwing ~ up", "vomit|vomiting|vomited|puke|puked|puking",
        "being sick", "diarrhoea|diarrhea|diarrhoe", "loose ~ stools|stool|poo|bowels|motions",
        "dodgy|upset|bad|funny ~ tummy|stomach|belly",
        "tummy|stomach|belly ~ off|funny|weird|dodgy|upset|unsettled",
        "runny tummy|stomach",
        "upset stomach|tummy",
        "acne|spots|spotty|pimples|zits|breakout|breakouts", "the ~ runs",
        "tired|tiredness|exhausted|knackered|fatigue|fatigued|shattered",
        "pink|red|dark|orange|reddish|strange ~ pee|urine|wee|piss", "flushed|flushing|flushes",
        "hot|warm ~ flush|flushes|flash|flashes",
        "pee|urine ~ red|pink|orange|dark|reddish|darker|rosy|pinky|pinkish|"
        "orangey|brown|colour|color|coloured|colored",
        "my|the|your ~ wee ~ red|pink|orange|dark|reddish|darker|rosy|pinky|pinkish|orangey|brown|coloured",
        "wee ~ is|was|looks|looked|has|gone|turned|went|looking ~ red|pink|orange|dark|reddish|darker|rosy|"
        "pinky|"
        "pinkish|orangey|brown|coloured",
 "stomach|tummy ~ ache|aches|pain", "bellyache",
        "aching|achy|aches ~ muscles|joints|legs|body", "joint|muscle ~ pain|pains|aches",
    )),
    (Sign.REDNESS, (
        "red|redness|reddish|redder|reddened|reddening|reddy|pink|pinkish|pinker|pinky|rosy|inflamed|"
        "inflammation",
        "angry ~ looking|red|redness|patch|mark", "looks ~ angry", "skin ~ irritated|irritation",
    )),
    (Sign.SWELLING, ("{swollen}", "raised|swole", "puffed ~ up")),
    (Sign.PAIN, (
        "pain|pains|painful|sore|soreness|sorer|hurt|hurts|hurting|ache|aches|aching|achy|tender|"
        "tenderness|sting|stings|stinging|stung|burn|burns|burning|throb|throbs|throbbing|ouch|ow|"
        "agony|stiff|smarts|stabbing|stabbed|twinge|excruciating",
        "killing me",
    )),
    (Sign.ITCHING, ("itch|itchy|itching|itches|itched|itchiness|scratching|scratchy",)),
    (Sign.BRUISING, (
        "bruise|bruised|bruises|bruising|bruisy|haematoma|hematoma|discoloured|discolored|discolouration",
        "black and blue",
        "went|gone|turned ~ dark|deep ~ purple|blue|black",
        "purple|blue|black|yellow|greenish ~ mark|patch|spot|blotch|area|bit|colour|color",
    )),
    (Sign.LUMP, (
        "lump|lumps|lumpy|bump|bumps|bumpy|knot|knots|nodule|nodules|cyst|bulge",
        "hard ~ spot|bit|area|patch|lump|ball|under", "rock|stone ~ hard", "pea|marble|grape ~ sized|size",
    )),
    (Sign.WARMTH, ("warm|warmer|warmth|hot|hotter|heat|heated",)),
    (Sign.BLEEDING, ("bleed|bleeding|bleeds|bled", "blood ~ everywhere|coming|came|oozing|pouring|dripping")),
)  # fmt: skip

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
