"""The messages of the hardening checks, in Chinese, as plain literal templates in one place.

Each is a ``str.format`` template; the module that raises fills in the names. A later gettext
catalogue can take these literals as they are.
"""

from __future__ import annotations

# -- Cypher parameters (graphmodel/cypher_safety.py) ------------------------------------------
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

# -- read-only Cypher (graphmodel/cypher_safety.py) --------------------------------------------
CYPHER_WRITE = (
    "dutygraph cypher 只运行只读查询：第 {line} 行第 {column} 列的 {clause} 会写入图数据库，已拒绝"
)
CYPHER_WRITE_PROCEDURE = (
    "dutygraph cypher 只运行只读查询：第 {line} 行第 {column} 列调用的过程 {name} "
    "不在只读过程列表中，已拒绝"
)
CYPHER_UNTERMINATED = "Cypher 第 {line} 行第 {column} 列：{what}没有结束"
