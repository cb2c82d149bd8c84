"""Our own date, time and number formats, where Django's for a language do not fit (see
FORMAT_MODULE_PATH in the settings). Only English has one: European conventions."""
