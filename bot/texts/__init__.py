"""Every patient-facing sentence and button label, in one package, one module per flow: short,
warm, plain words. `from bot import texts` then `texts.NAME` reaches any sentence, and
`texts.buttons.NAME` any button label.

Messages are sent as plain text (no Markdown/HTML), so whatever a patient typed (a clinician's
name with an underscore, say) is shown exactly as written.
"""

from bot.texts import buttons as buttons
from bot.texts.care import *  # noqa: F403
from bot.texts.common import *  # noqa: F403
from bot.texts.doses import *  # noqa: F403
from bot.texts.monitoring import *  # noqa: F403
from bot.texts.photos import *  # noqa: F403
from bot.texts.plans import *  # noqa: F403
from bot.texts.records import *  # noqa: F403
from bot.texts.safety import *  # noqa: F403
from bot.texts.setup import *  # noqa: F403
