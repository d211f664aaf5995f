"""Button labels, by the conversation they belong to. Tests press buttons by these words, and
patients learn them: change one only on purpose."""

# --- everywhere ---------------------------------------------------------------------------------
DONE = "Done"
SKIP = "Skip"
TODAY, TOMORROW, YESTERDAY = "Today", "Tomorrow", "Yesterday"
ANOTHER_DATE = "Another date…"

# --- a dose -------------------------------------------------------------------------------------
DOSE_DONE = "✅ Done"
SNOOZE = "⏰ Snooze"
TOOK_IT = "💉 I took the missed one"  # a dose marked missed, given after all
REPORT_PROBLEM = "⚠️ Report a problem"
SOMETHING_ELSE = "Something else…"
SNOOZE_LABELS = {15: "15 min", 30: "30 min", 60: "1 hour"}

# --- setup --------------------------------------------------------------------------------------
SET_UP_AGAIN, KEEP_PLAN = "Set up again", "Keep my plan"
STRENGTH_1000 = "1000 mcg/mL"
ROUTES = (("sc", "Under the skin (subcutaneous)"), ("im", "Into the muscle (IM)"))
BUILD_MY_OWN = "Build my own"
PRESET_YES, PRESET_NO = "Yes, that's my plan", "No, build my own"
CADENCES = (
    ("days:1", "Every day"),
    ("days:2", "Every other day"),
    ("days:n", "Every … days"),
    ("weekdays", "Set weekdays"),
    ("weeks:1", "Every week"),
    ("weeks:n", "Every … weeks"),
    ("months:1", "Every month"),
    ("months:n", "Every … months"),
)
LENGTHS = (
    ("injections", "A number of injections"),
    ("weeks", "A number of weeks"),
    ("open", "Until my clinician says to change"),
)
MORE_PHASE, NO_MORE_PHASES = "Add the next phase", "No, that's all"
CONFIRM_PLAN = (("yes", "✅ Yes, it matches"), ("restart", "Start again"), ("cancel", "Cancel"))

# --- reports and safety ---------------------------------------------------------------------------
SINCE = (("0", "Today"), ("24", "Since yesterday"), ("48", "2–3 days"), ("96", "Longer"))
SEVERITIES = (("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"))
NOT_AT_A_SITE = "Not where I injected"
FOLLOW_UP = (("better", "Better"), ("same", "The same"), ("worse", "Worse"))
CONTACTED_THEM, REMIND_LATER = "✅ I contacted them", "⏰ Remind me later"

# --- sites and settings ---------------------------------------------------------------------------
SITES_MENU = (
    ("add", "Add a site"),
    ("rm", "Remove a site"),
    ("ren", "Rename a site"),
    ("rest", "Rest period"),
)
HEADS_UP = ((0, "Off"), (1, "1 hour"), (2, "2 hours"), (12, "12 hours"), (24, "24 hours"))
CHANGE_CHECK_IN_DAY = "Change the check-in day"
REVIEW_WEEKS = "Review: {weeks} wk"

# --- monitoring -----------------------------------------------------------------------------------
NO_CHECK_IN = "No weekly check-in"
SKIP_THIS_WEEK = "Skip this week"
ADD_NOTE = "📝 Add a note"
UPDATE_SUPPLIES, STOP_COUNTING = "Update my supplies", "Stop counting"
ADD_LAB, SET_RECHECK, NO_B12 = "Add a result", "Set the re-check date", "No B12 on this test"

# --- plan changes and privacy ------------------------------------------------------------------------
PAUSE_CHOICES = (
    ("pause_open", "Until I resume"),
    ("pause_date", "Until a date…"),
    ("pause_no", "Don't pause"),
)
CLINICIAN_SAID_SO, NOT_NOW = "Yes, my clinician said so", "Not now"
ERASE_EVERYTHING, KEEP_MY_DATA = "Erase everything", "Keep my data"

# --- the care circle (and photos) -------------------------------------------------------------------
INVITE_SOMEONE = "➕ Invite someone"
CONFIRM_CAREGIVER, REMOVE_CAREGIVER = "✅ Yes, that's them", "❌ Remove"
REMOVE_NAMED = "❌ Remove {name}"
YES_REMOVE, KEEP_THEM = "Yes, remove {name}", "No, keep them"
ACCEPT_INVITE, DECLINE_INVITE = "✅ Accept", "No thanks"
SOMETHING_NEW = "Something new"
