"""The words drawn on the pictures: the /chart panels, the body map and the clinician's PDF."""

CHART_TITLE = "Your B12 injections"
INJECTIONS = "Injections"
SYMPTOMS = "Symptoms (your check-ins)"
NO_CHECK_INS = "No check-ins yet"
BLOOD_TESTS = "Blood tests"
NO_BLOOD_TESTS = "No blood tests yet"
B12_LEGEND, B12_AXIS = "Vitamin B12, pg/mL (left axis)", "B12, pg/mL"
HB_LEGEND, HB_AXIS = "Haemoglobin, g/L (right axis)", "Haemoglobin, g/L"
DOSE_STATUS = {"done": "given", "skipped": "skipped", "missed": "missed"}

MAP_TITLE = "Your injection sites (as you look down at yourself)"
NOT_USED_YET = "not used yet"
REACTION = "⚠ reaction"
RESTED, USED_RECENTLY = "rested ({days}+ days)", "used recently"
MAP_KEY = "★ next suggested   ○ red ring: open reaction"

PLAN_AS_WRITTEN = "Plan as written"
ADHERENCE = "Adherence per phase"
SITE_ROTATION = "Site rotation"
REACTIONS = "Reactions reported"
REACTION_PHOTOS = "Photos of open or recent reactions (latest of each; taken by the patient)"
SYMPTOM_TREND = "Symptoms (first check-in → latest)"
NO_CHART = "Chart: no injections, check-ins or blood tests recorded yet."
FOOTER = "Recorded by the patient with b12bot. The plan is the clinician's; the bot gives no medical advice."


def days_ago(days: int) -> str:
    return "today" if days == 0 else "1 day ago" if days == 1 else f"{days} days ago"
