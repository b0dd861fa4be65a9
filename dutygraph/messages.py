"""The messages of the hardening checks, in Chinese, as plain literal templates in one place.

Each is a ``str.format`` template; the module that raises fills in the names. A later gettext
catalogue can take these literals as they are.
"""

from __future__ import annotations

# -- Cypher parameters (graphmodel/cypher_safety.py) -----------------------------------------------
PARAM_NAME = "参数名 {name!r} 不是 Cypher 名称（字母、数字和下划线，不以数字开头）"
PARAM_TYPE = (
    "参数 {where}：不支持 {type} 类型的值（只接受 JSON 值：null、布尔、整数、浮点数、文本、"
    "列表、映射）"
)
PARAM_KEY_TYPE = "参数 {where}：映射的键必须是文本，得到 {type}"
PARAM_DEPTH = "参数 {where}：嵌套超过 {cap} 层，拒绝发送"
PARAM_INT_RANGE = "参数 {where}：整数 {value} 超出 64 位整数范围（-2^63 到 2^63-1）"
PARAM_SURROGATE = "参数 {where}：文本含孤立的代理字符 U+{code:04X}，不是合法的 Unicode"
PARAM_NOT_FINITE = "参数 {where}：FalkorDB 无法表示 {value}（只接受有限的浮点数）"
PARAM_FLOAT = (
    "参数 {where}：FalkorDB 无法准确表示浮点数 {value!r}（它只保留小数点后 6 位）；请改用文本或整数"
)
PARAM_NUL = "参数 {where}：FalkorDB 无法传递含 NUL 字符（\\0）的文本"
PARAM_BACKQUOTE_KEY = "参数 {where}：FalkorDB 无法传递含反引号（`）的映射键 {key!r}"
PARAM_JSON_DEPTH = "--param {name}：JSON 嵌套过深，拒绝解析"
PARAM_TOO_LARGE = (
    "查询和参数对 FalkorDB 的 Bolt 接口过大（{size} 字节；它约能接受 {cap} 字节，超出会崩溃）"
)

# -- read-only Cypher (graphmodel/cypher_safety.py) ------------------------------------------------
CYPHER_WRITE = (
    "dutygraph cypher 只运行只读查询：第 {line} 行第 {column} 列的 {clause} 会写入图数据库，已拒绝"
)
CYPHER_WRITE_PROCEDURE = (
    "dutygraph cypher 只运行只读查询：第 {line} 行第 {column} 列调用的过程 {name} "
    "不在只读过程列表中，已拒绝"
)
CYPHER_UNTERMINATED = "Cypher 第 {line} 行第 {column} 列：{what}没有结束"

# -- the store (store.py) --------------------------------------------------------------------------
STORE_MISSING = "{path}：这里没有 dutygraph 存储；请先运行 dutygraph load 文件 --store {path}"
STORE_NOT_FILE = "{path}：不是普通文件（{what}），不能作为存储"
STORE_FOREIGN = "{path}：这是其他程序的 SQLite 文件，不是 dutygraph 存储；未作任何改动"
STORE_EMPTY = "{path}：这是一个空的 SQLite 文件，不是 dutygraph 存储；请先 load 清单"
STORE_NOT_SQLITE = "{path}：不是 SQLite 文件，也不是 dutygraph 存储；未作任何改动"
STORE_VERSION = (
    "{path}：存储的结构版本是 {version}，本版 dutygraph 读写版本 {expected}；"
    "请把清单重新 load 到新的存储"
)
STORE_LOCKED = "{path}：存储正被另一个进程（例如另一次 load）锁定；请稍后再试"
STORE_READ_ONLY = "{path}：存储或其所在文件夹是只读的，无法写入（{detail}）"
STORE_DISK_FULL = "{path}：磁盘已满，存储未改动；请腾出空间后再试"
STORE_DAMAGED = (
    "{path}：存储已损坏（{detail}）；可运行 sqlite3 {path} 'PRAGMA integrity_check' 查看，"
    "再把清单 load 到新的存储"
)
STORE_MISSING_PART = (
    "{path}：存储缺少{detail}：它已损坏或来自其他版本；请把清单重新 load 到新的存储"
)
STORE_INTEGRITY = (
    "{path}：存储未通过 integrity_check（{detail}），本次 load 未写入；请把清单 load 到新的存储"
)
STORE_OS = "{path}：无法打开或写入存储（{detail}）"
STORE_SQLITE = "{path}：SQLite 错误（{detail}）"

# -- input files (safe_io.py) ----------------------------------------------------------------------
INPUT_MISSING = "{path}：文件不存在"
INPUT_NOT_FILE = "{path}：不是普通文件（{what}）；请给出一个文件"
INPUT_TOO_LARGE = "{path}：文件有 {size} 字节，超过一份{what}的上限 {cap} 字节；拒绝读取"
INPUT_UNREADABLE = "{path}：无法读取（{detail}）"

# -- output files (safe_io.py) ---------------------------------------------------------------------
OUTPUT_IS_FOLDER = "{path}：这是一个文件夹；请给出要写入的文件名"
OUTPUT_FAILED = "{path}：无法写入（{detail}）；没有留下写了一半的文件"

# -- gold files (graphmodel/evaluate.py) -----------------------------------------------------------
GOLD_EMPTY = "{path}：文件是空的；需要表头 {columns}"
GOLD_ENCODING = "{path}：第 {line} 行（第 {byte} 字节）无法按 UTF-8 解码；需要 UTF-8 的 CSV 文本"
GOLD_PARSE = "{path}：不是可读的 CSV（{detail}）"
GOLD_COLUMNS = "{path}：缺少列 {missing}；需要 {columns}（可选 list）"

# -- one load (store.py) ---------------------------------------------------------------------------
DUPLICATE_LIST = (
    "{first} 和 {second} 是同一份清单 {list_id}：一次 load 里每份清单只能出现一次"
    "（不同版本请分开 load 并用 --version 区分）；存储未改动"
)

# -- vocabulary files (vocabulary.py, cli.py) ------------------------------------------------------
VOCAB_ENCODING = "{path}：第 {line} 行（第 {byte} 字节）无法按 UTF-8 解码；词表文件须是 UTF-8 文本"
VOCAB_TYPE = "{source}：{key} 应是{expected}，这里是{found}"
VOCAB_REGEX = "词表中的正则表达式 {pattern!r} 无效（{reason}）；请检查 --vocab 文件夹里的文件"
STORE_OLD_READ_ONLY = (
    "{path}：存储是旧的结构版本 {version}（本版为 {expected}），升级需要写入，但它是只读的；"
    "请在可写的位置运行一次 dutygraph load，或把清单重新 load 到新的存储"
)
