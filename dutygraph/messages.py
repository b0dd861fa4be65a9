"""The messages of the hardening checks (store, input and output files, Cypher parameters,
read-only Cypher, gold and vocabulary files) as ``str.format`` templates in one place.

The source strings are English and go through the gettext catalogue like every other message:
``msg.STORE_MISSING`` reads in the current language (Chinese by default, English with
``DUTYGRAPH_LANG=en``); the module that raises fills in the names.

>>> import os; from dutygraph import messages as msg
>>> os.environ["DUTYGRAPH_LANG"] = "en"
>>> msg.STORE_LOCKED.format(path="a.db")  # doctest: +ELLIPSIS
'a.db: the store is locked by another process...'
>>> del os.environ["DUTYGRAPH_LANG"]
>>> msg.STORE_LOCKED.format(path="a.db")
'a.db：存储正被另一个进程（例如另一次 load）锁定；请稍后再试'
"""

from __future__ import annotations

from .i18n import N_, gettext

_TEMPLATES: dict[str, str] = {
    # -- Cypher parameters (graphmodel/cypher_safety.py) ------------------------------------------
    "PARAM_NAME": N_(
        "parameter name {name!r} is not a Cypher name (letters, digits and underscores, not "
        "starting with a digit)"
    ),
    "PARAM_TYPE": N_(
        "parameter {where}: values of type {type} are not supported (only JSON values: null, "
        "booleans, integers, floats, text, lists, maps)"
    ),
    "PARAM_KEY_TYPE": N_("parameter {where}: the keys of a map must be text, found {type}"),
    "PARAM_DEPTH": N_("parameter {where}: nested more than {cap} levels deep; refused"),
    "PARAM_INT_RANGE": N_(
        "parameter {where}: the integer {value} is outside the 64-bit range (-2^63 to 2^63-1)"
    ),
    "PARAM_SURROGATE": N_(
        "parameter {where}: the text holds a lone surrogate U+{code:04X}, which is not valid "
        "Unicode"
    ),
    "PARAM_NOT_FINITE": N_(
        "parameter {where}: FalkorDB cannot represent {value} (only finite floats)"
    ),
    "PARAM_FLOAT": N_(
        "parameter {where}: FalkorDB cannot represent the float {value!r} exactly (it keeps 6 "
        "decimals); use text or an integer"
    ),
    "PARAM_NUL": N_("parameter {where}: FalkorDB cannot pass text holding a NUL character (\\0)"),
    "PARAM_BACKQUOTE_KEY": N_(
        "parameter {where}: FalkorDB cannot pass a map key holding a backquote (`): {key!r}"
    ),
    "PARAM_JSON_DEPTH": N_("--param {name}: the JSON is nested too deep; not parsed"),
    "PARAM_TOO_LARGE": N_(
        "the query and its parameters are too large for FalkorDB over Bolt ({size} bytes; it "
        "takes about {cap} and crashes beyond)"
    ),
    # -- read-only Cypher (graphmodel/cypher_safety.py) -------------------------------------------
    "CYPHER_WRITE": N_(
        "dutygraph cypher runs read-only queries only: {clause} at line {line}, column "
        "{column} writes to the graph; refused"
    ),
    "CYPHER_WRITE_PROCEDURE": N_(
        "dutygraph cypher runs read-only queries only: the procedure {name} called at line "
        "{line}, column {column} is not on the list of read-only procedures; refused"
    ),
    "CYPHER_UNTERMINATED": N_("Cypher line {line}, column {column}: {what} is not closed"),
    # -- the store (store.py) ---------------------------------------------------------------------
    "STORE_MISSING": N_(
        "{path}: no dutygraph store here; run dutygraph load FILE --store {path} first"
    ),
    "STORE_NOT_FILE": N_("{path}: not a regular file ({what}); it cannot be a store"),
    "STORE_FOREIGN": N_(
        "{path}: this is another program's SQLite file, not a dutygraph store; nothing was changed"
    ),
    "STORE_EMPTY": N_(
        "{path}: this is an empty SQLite file, not a dutygraph store; load lists first"
    ),
    "STORE_NOT_SQLITE": N_(
        "{path}: neither a SQLite file nor a dutygraph store; nothing was changed"
    ),
    "STORE_VERSION": N_(
        "{path}: the store's schema version is {version}, this dutygraph reads and writes "
        "version {expected}; load the lists into a new store"
    ),
    "STORE_LOCKED": N_(
        "{path}: the store is locked by another process (another load, say); try again later"
    ),
    "STORE_READ_ONLY": N_(
        "{path}: the store or its folder is read-only; it cannot be written ({detail})"
    ),
    "STORE_DISK_FULL": N_(
        "{path}: the disk is full; the store is unchanged; free some space and try again"
    ),
    "STORE_DAMAGED": N_(
        "{path}: the store is damaged ({detail}); sqlite3 {path} 'PRAGMA integrity_check' "
        "shows more; load the lists into a new store"
    ),
    "STORE_MISSING_PART": N_(
        "{path}: the store lacks {detail}: it is damaged or from another version; load the "
        "lists into a new store"
    ),
    "STORE_INTEGRITY": N_(
        "{path}: the store failed integrity_check ({detail}); this load wrote nothing; load "
        "the lists into a new store"
    ),
    "STORE_OS": N_("{path}: the store cannot be opened or written ({detail})"),
    "STORE_SQLITE": N_("{path}: SQLite error ({detail})"),
    # -- input files (safe_io.py) -----------------------------------------------------------------
    "INPUT_MISSING": N_("{path}: no such file"),
    "INPUT_NOT_FILE": N_("{path}: not a regular file ({what}); give a file"),
    "INPUT_TOO_LARGE": N_(
        "{path}: the file has {size} bytes, more than the {cap} a {what} may have; not read"
    ),
    "INPUT_UNREADABLE": N_("{path}: cannot be read ({detail})"),
    # -- output files (safe_io.py) ----------------------------------------------------------------
    "OUTPUT_IS_FOLDER": N_("{path}: this is a folder; give the name of a file to write"),
    "OUTPUT_FAILED": N_("{path}: cannot be written ({detail}); no half-written file was left"),
    "OUTPUT_SUFFIX": N_(
        "{path}: what is written here is a {suffix} file; give a name ending in {suffix}"
    ),
    "OUTPUT_NO_FOLDER": N_("{path}: the folder {folder} does not exist; create it first"),
    # -- gold files (extraction/evaluate.py) ------------------------------------------------------
    "GOLD_EMPTY": N_("{path}: the file is empty; expected the header {columns}"),
    "GOLD_ENCODING": N_(
        "{path}: line {line} (byte {byte}) does not decode as UTF-8; expected CSV text in UTF-8"
    ),
    "GOLD_PARSE": N_("{path}: not a readable CSV ({detail})"),
    "GOLD_COLUMNS": N_("{path}: missing the columns {missing}; expected {columns} (list optional)"),
    # -- one load (store.py) ----------------------------------------------------------------------
    "DUPLICATE_LIST": N_(
        "{first} and {second} are the same list {list_id}: each list may appear once in a load "
        "(load versions separately, told apart with --version); the store is unchanged"
    ),
    # -- vocabulary files (vocabulary.py, cli.py) -------------------------------------------------
    "VOCAB_ENCODING": N_(
        "{path}: line {line} (byte {byte}) does not decode as UTF-8; vocabulary files must be "
        "UTF-8 text"
    ),
    "VOCAB_TYPE": N_("{source}: {key} should be {expected}, found {found}"),
    "VOCAB_REGEX": N_(
        "the regular expression {pattern!r} in the vocabulary is not valid ({reason}); check "
        "the files of the --vocab folder"
    ),
    "STORE_OLD_READ_ONLY": N_(
        "{path}: the store has the old schema version {version} (this one is {expected}); "
        "upgrading it means writing, but it is read-only; run dutygraph load once where it can "
        "be written, or load the lists into a new store"
    ),
}


def __getattr__(name: str) -> str:
    """``msg.NAME``: the template ``NAME`` in the current language."""
    try:
        return gettext(_TEMPLATES[name])
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
