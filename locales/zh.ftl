# tally 的中文用语。每个 id 在 en.ftl 中也有（有测试检查）。
# col-*：列标题（csv 和 json 保留英文键名）；key-*：说明与汇总项；term-*：状态与代码；
# title-*、table-*、section-*：标题；其余：短语。

## 标题

title-in-workspace = { $workspace } { $title }
title-with-note = { $title }（{ $note }）
title-quarter = 党代表履职积分公示（{ $period }）
title-annual = { $year }年度党代表履职评议汇总
title-studios = 党代表工作室履职情况（{ $period }）
title-duty = { $name }（{ $delegate }）{ $year }年度履职报告
title-explain = { $name }（{ $delegate }，{ $studio }）积分明细：{ $period }
title-records = 积分记录：{ $label }
title-void-preview = 作废 { $n } 条记录的影响（{ $period }，试算，台账未改动）
title-diff-rules = 积分标准草案“{ $draft }”与现行标准对比（{ $period }）
title-open-petitions = 未办结社情民意（截至{ $as_of }）
title-due-soon = { $within }内到期的社情民意（截至{ $as_of }，到期日不晚于{ $by }）
title-digest = { $group }：社情民意跟踪（截至{ $as_of }）
title-scorecard = 社情民意办理情况（按{ $by }统计，截至{ $as_of }）
title-obligations = 履职义务完成情况（截至{ $as_of }）

table-points-by-quarter = 各季度积分
table-petitions-taken-up = 收集的社情民意
table-adjustments = 复核调整
table-annual-review = 年终评议
table-records = 积分记录
table-totals = 合计
table-obligations = 履职义务
table-months = 各月履职义务

section-no-sector = 未加入行业工作室
section-all-studios = 全部工作室
section-overdue = 已超期
section-due-within = { $within }内到期（不晚于{ $by }）
section-other-open = 其他未办结

label-value-separator = ：
heading-summary = 汇总

## 期间与短语

period-quarter = { $year }年第{ $q ->
    [1] 一
    [2] 二
    [3] 三
   *[4] 四
}季度
period-year = { $year }年度
note-in-progress = 进行中，数据截至{ $newest }
note-in-progress-empty = 进行中，尚无记录
label-cycle-to-date = 年度累计（{ $from }至{ $to }）
label-date-range = { $from }至{ $to }
term-span = { $from }至{ $to }
n-days = { $n }天
n-working-days = { $n }个工作日
rule-per-unit = 每次{ $points }分
rule-outcome-per-unit = { $outcome }：每次{ $points }分
cap-reached = 达到每{ $per }{ $cap }分上限：{ $before } → { $after }
cap-cut = 每{ $per }上限{ $cap }分：{ $before } → { $after }
cap-per = 每{ $per }{ $cap }分
void-line = 已作废（{ $on }，{ $by }）：{ $reason }
largest-move = { $delegate } { $name }：排名 { $from } → { $to }（{ $places } 位），积分 { $before } → { $after }
largest-move-none = 无
possible-months = { $item }：还有 { $n } 个月
possible-open = { $item }：{ $until }前仍可完成
found-behind = 截至{ $as_of }，{ $n } 名代表履职义务未达标：{ $names }

## 列标题

col-period = 期间
col-year = 年度
col-quarter = 季度
col-month = 月份
col-studio = 工作室
col-sector = 行业工作室
col-rank = 排名
col-delegate = 代表编号
col-delegates = 代表人数
col-name = 姓名
col-points = 积分
col-points-quarter = 本季积分
col-points-in-quarter = 本季积分
col-points-total = 累计积分
col-points-mean = 人均积分
col-adjustments = 复核调整
col-rank-change = 名次变化
col-obligation = { $item }（每{ $per }）
col-obligations-met = 履职达标
col-missed = { $obligation }未完成月份
col-count = 次数
col-marks = { $group }评价
col-evaluation = 评议得分
col-composite = 综合得分
col-grade = 等次
col-petitions-received = 受理社情民意
col-petitions-overdue = 超期
col-key = 记录号
col-date = 日期
col-item = 项目
col-outcome = 结果
col-ref = 关联编号
col-cap = 上限
col-source = 来源
col-voided = 作废日期
col-voided-by = 作废人
col-void-reason = 作废理由
col-rule = 计分规则
col-part = 类别
col-cumulative = 年度累计
col-cycle-to = 年度累计至{ $to }
col-id = 编号
col-reason = 理由
col-approved-by = 审核人
col-kind = 类型
col-received = 登记日期
col-category = 类别
col-summary = 摘要
col-department = 承办单位
col-status = 状态
col-due = 答复期限
col-days = 天数
col-days-open = 已办天数
col-days-overdue = 超期天数
col-days-left = 剩余天数
col-stalled = 停滞
col-original-due = 原答复期限
col-extension-reason = 延期理由
col-reopened = 重办日期
col-replied = 已答复
col-replied-on-time = 按时答复
col-reply-rate-on-time = 按时答复率
col-median-days-to-reply = 答复天数中位数
col-resolved = 已办结
col-resolved-share = 办结率
col-median-days-to-resolve = 办结天数中位数
col-rated = 已评价
col-satisfaction-rate = 满意率
col-overdue = 超期
col-extended = 延期
col-replied-on-time-original = 按原期限按时答复
col-reply-rate-on-time-original = 按原期限按时答复率
col-below-standard = 未达标准
col-ratings = { $year }年代表评价
col-rating-attitude = 态度
col-rating-efficiency = 效率
col-rating-conduct = 作风
col-rating-satisfaction = 满意度
col-behind = 未达标项
col-still-possible = 年内尚可完成
col-total-now = 现积分
col-total-after = 作废后积分
col-total-draft = 草案积分
col-change = 变化
col-rank-now = 现排名
col-rank-after = 作废后排名
col-rank-draft = 草案排名
col-rank-move = 名次变化
col-code = 代码
col-requires-ref = 需关联编号
col-aliases = 别名
col-at-least = 至少
col-per = 每
col-value = 结果
col-published = 公示值
col-now = 现值
col-why = 原因

col-received-count = 受理件数
col-item-name = 名称

## 说明与汇总项

key-title = 标题
key-period = 期间
key-year = 年度
key-as-of = 截至
key-newest-record = 数据截至
key-generated-at = 生成时间
key-workspace = 工作区
key-rules = 积分标准
key-rules-file = 积分标准文件
key-rules-hash = 积分标准校验码
key-ledger-hash = 台账校验码
key-rank-within = 排名范围
key-by = 分组
key-delegate = 编号
key-name = 姓名
key-studio = 工作室
key-sector = 行业工作室
key-term = 任期
key-from = 起
key-to = 止
key-draft = 草案
key-draft-rules-hash = 草案校验码
key-due-by = 到期日不晚于
key-due-soon = 即将到期
key-open = 未办结
key-overdue = 已超期
key-other-open = 其他未办结
key-stalled = 停滞
key-records = 记录数
key-voided = 已作废
key-points = 积分
key-no-grade = 未评等次
key-delegates-changing-rank = 名次变化人数
key-largest-move = 变化最大
key-delegates-behind = 未达标人数
key-below-standard = 未达标准单位数
key-standard-on-time-rate = 标准：按时答复率
key-standard-satisfaction-rate = 标准：满意率
key-standard-min-items = 标准：最少件数
key-kind = 类型
key-department = 承办单位
key-group = 分组
key-activity = 活动
key-outcome = 结果
key-reason = 理由
key-version = 版本

## 状态与代码

term-yes = 是
term-no = 否
term-registered = 已登记
term-forwarded = 已转办
term-replied = 已答复
term-resolved = 已办结
term-reopened = 重办中
term-petition = 社情民意
term-proposal = 建议
term-motion = 议案
term-done = 完成
term-missed = 未完成
term-not-in-office = 不在任
term-month = 月
term-quarter = 季度
term-year = 年
term-cycle = 年度
term-studio = 工作室
term-sector = 行业工作室
term-all = 全部

## 工作簿

sheet-summary = 汇总
sheet-about = 说明
about-item = 项目
about-value = 内容
about-summary = 小结
xlsx-footer = &L&A&R第 &P 页，共 &N 页

## 终端表格

fold-note = 为适应 { $limit } 列宽，省略了：{ $names }。如需查看：将终端加宽到 { $needed } 列（或设 COLUMNS={ $needed }），或用 --format csv 或 md。
fold-cut = 以 … 结尾的文字被截短；--format csv 或 md 显示全文。
list-separator = 、

msg-under-the-draft = （依据草案 { $draft }）

test-problems = { $n } 个问题

## 标准错误输出上的消息：错误、警告与提示。问题的 文件:行、列名与（值）由代码写在消息前后，各语言相同。

line-error = 错误：{ $message }
line-warning = 警告：{ $message }
line-found = 发现：{ $message }

date-expected = 日期应写作 2025-03-01、2025/3/1、2025.3.1 或 2025年3月1日
msg-bad-date = 不是日期，{ date-expected }
msg-not-a-date = 不是日期
msg-required = 必填，此处为空
msg-not-in-roster = 不在代表名册中（按编号或姓名查找）
msg-ambiguous-name = 有两位代表同名，请填写编号
msg-unknown-activity = 未知的履职项目，应为积分标准中的项目代码或别名（见 `tally rules`）
msg-bad-count = 不是 1 到 { $max } 之间的整数
msg-date-out-of-range = 超出合理范围 { $earliest } 至今天（{ $today }）
msg-not-in-office = { $name }（{ $delegate }）在 { $date } 不在任（{ $term }）
term-in-office-from-to = 任期 { $from } 至 { $to }
term-joined = { $date } 任职
term-left = { $date } 离任
term-in-office = 在任
msg-ref-required = { $item } 必须填写关联编号（社情民意或议案的编号）
msg-outcome-required = { $item } 必须填写评价，应为以下之一：{ $expected }
msg-outcome-unknown = 不是 { $item } 的评价，应为以下之一：{ $expected }
msg-reserved-column = 此列名为台账自用，请改名，例如 office_{ $column }
msg-ledger-row-width = 有 { $found } 个字段，而表头有 { $width } 个（该行被截断或被手工改过）
msg-before = 早于{ $column }（{ $date }）
msg-duplicate-delegate-id = 代表编号重复
msg-duplicate-adjustment-id = 调整编号重复
msg-duplicate-petition-id = 社情民意编号重复
msg-bad-points = 不是有效的分值（如 10 或 -5，绝对值不超过 { $max }）
msg-bad-year = 不是年份（如 2025）
msg-unknown-group = 未知的评议组，应为以下之一：{ $expected }
msg-bad-score = 不是 0 到 100 之间的分数
msg-second-mark = 同一年度、同一代表、同一评议组的第二个评分
msg-bad-mark = 不是 0 到 100 之间的评分
msg-second-rating = 同一年度、同一承办单位、同一代表的第二次评议
msg-unknown-kind = 未知的类型，应为 petition、proposal 或 motion（社情民意、建议、议案）
msg-unknown-satisfaction = 未知的满意度，应为非常满意、基本满意或不满意（very_satisfied、satisfied、dissatisfied）
msg-unknown-channel = 未知的渠道，应为来访、电话、网络或服务卡（visit、phone、online、card）
msg-reply-not-forwarded = 有答复日期但没有转办日期
msg-no-department = 已转办但未填写承办单位
msg-extension-no-reason = 延期必须填写延期理由
msg-extended-not-forwarded = 已延期但从未转办承办单位
msg-reason-no-extension = 有延期理由但没有延期日期（extended_to）

msg-column-twice = 列 { $column } 出现了两次
msg-missing-column = 缺少列 { $column }（{ $alias }）；表头为
msg-inner-bom = 文件中间有字节顺序标记（U+FEFF），常见于两个文件拼接在一起；请删除
msg-nul-byte = 含有 NUL 字节：这不是 CSV 文本文件（是否为 UTF-16“Unicode 文本”导出？）；请另存为 CSV UTF-8
msg-open-quote = 此处的引号没有闭合；其后的行会被吞掉
msg-file-no-header = 文件没有表头行
msg-sheet-no-header = 工作表没有表头行
msg-too-many-columns = 表头有 { $named } 列；最多读取 { $max } 列
msg-row-width = 应与表头一样有 { $expected } 个单元格，实有 { $found } 个
msg-cell-too-big = 单元格有 { $size } 字节；最多读取 { $max } 字节（1 MiB）
msg-not-utf8-text = 不是有效的 UTF-8 文本
msg-is-a-folder = 是文件夹，不是文件
msg-cannot-read = 无法读取：{ $why }
msg-malformed-csv = CSV 格式错误：{ $why }
msg-path-is-a-folder = { $path }：是文件夹，不是文件
msg-path-cannot-read = { $path }：无法读取：{ $why }
why-no-such-file = 文件不存在
why-permission-denied = 没有权限
skipped = 跳过了 { $parts }
skipped-title = { $n } 行标题
skipped-total = { $n } 行合计
skipped-empty = { $n } 行空行

msg-utf16 = 这是 UTF-16 文件（Excel 的“Unicode 文本”）；请另存为 CSV UTF-8
msg-neither-utf8-nor-gbk = 文件既不是 UTF-8 也不是 GBK/GB18030 文本；请另存为 CSV UTF-8
msg-utf8-cut-short = 不是有效的 UTF-8，而本行此前的文字是：有字符被截断，或本行混用了编码；请重新另存为 CSV UTF-8（或用 --encoding 指定编码）
msg-mixed-encodings = 不是有效的 UTF-8，而第 { $line } 行是：文件混用了编码（UTF-8 和 GBK？）；请重新另存为 CSV UTF-8（或用 --encoding 指定编码）
msg-not-utf8 = 不是有效的 UTF-8（中文 Windows 上 Excel 保存的文件请试 --encoding gbk）
msg-not-gbk = 不是有效的 GBK/GB18030 文本
msg-too-large-to-decode = 文件太大，无法解码
msg-bytes = 字节 { $bytes }

msg-ledger-is-a-file = { $path }：是文件，不是文件夹（台账是按年份存放文件的文件夹）
msg-no-ledger = { $path }：没有台账文件夹；尚未导入任何记录（见 `tally import`）
msg-ledger-out-of-order = { $path }:{ $line }：台账没有按日期排序（被手工改过？）；已在内存中排序
msg-repeated-record = { $path }:{ $line }：与第 { $first } 行是同一条记录（手工复制的行？）；只计一次
msg-more-repeated-records = { $path }：另有 { $n } 条重复记录，各只计一次；`tally check` 会列出它们
msg-xlsx-to-terminal = --format xlsx 输出二进制工作簿：请用 -o 文件.xlsx 或重定向标准输出
msg-output-is-input = { $path }：是本工作区的{ $what }；报表从不覆盖输入文件，请换一个文件名
msg-period-not-begun = { $period } 尚未开始：今天是 { $today }（从 { $first } 开始）
msg-bad-date-arg = { $flag }：不是日期（{ $value }），{ date-expected }
input-config = 配置文件 tally.toml
input-rules = 积分标准文件
input-roster = 代表名册
input-petitions = 社情民意登记表
input-evaluations = 评议评分文件
input-adjustments = 积分调整文件
input-ratings = 部门评议文件
input-published = 已公示期间记录
input-ledger = 台账

msg-no-config-here = { $path }：此处没有 { $config }（用 `tally init { $path }` 创建工作区）
msg-no-config-above = 本文件夹及上级文件夹中都没有 { $config }；请用 -w 目录 或 TALLY_WORKSPACE 指定，或用 `tally init` 创建
msg-named-by-rules = （由 { $config } 中的 `rules` 指定）
msg-path-not-utf8 = { $path }：不是有效的 UTF-8 文本
msg-bad-period = 期间“{ $period }”有误：应为季度（如 2025Q3）或年份（如 2025）
msg-bad-quarter = 期间“{ $period }”有误：应为季度，如 2025Q3
msg-bad-year-arg = 年度“{ $year }”有误：应为年份，如 2025
msg-unknown-studio = --studio：代表名册中没有工作室“{ $studio }”；现有工作室：{ $studios }
msg-no-marks = { $n } 位代表没有 { $year } 年度的评议评分，因此没有综合得分和等次：{ $names }
msg-wrote-annual = 已将 annual-{ $year }.csv、.json 和 .html 写入 { $dir }
msg-restated = { $period } 已公示（{ $path }，第 { $version } 版）；此处有 { $n } 位代表的数据与公示不同——`tally check` 会列出更正
msg-late-period = { $period }（{ $n } 条记录）
msg-late-refused = 导入被拒绝：有记录的日期落在已公示期间内：{ $periods }；积分标准规定 [publishing] late_records = "refuse"（台账未添加任何记录）
msg-late-records = 有记录的日期落在已公示期间内：{ $periods }；这些期间的公示数据将无法复现（`tally check` 会列出；可用 `tally publish 期间 --restate --reason 理由` 更正）

msg-void-no-reason = --reason：请说明理由（理由随记录保存）
msg-voided-record = 已作废 { $record }
msg-restored-record = 已恢复 { $record }
msg-voided-summary = 已作废 { $n } 条记录；台账仍保留这些记录，操作记录见 { $trail }
msg-restored-summary = 已恢复 { $n } 条记录；台账仍保留这些记录，操作记录见 { $trail }
msg-void-source-none-voided = --source { $source }：台账中没有来自此文件的已作废记录
msg-void-source-none-live = --source { $source }：台账中没有来自此文件的有效记录
msg-void-key-short = { $key }：太短，无法确定记录；请至少给出 `tally records` 所示键值的 6 个字符
msg-void-key-unknown = { $key }：台账中没有记录使用此键值（见 `tally records`）
msg-void-already = { $key }：自 { $on } 起已作废（{ $reason }）
msg-void-not-void = { $key }：未作废
msg-void-key-ambiguous = { $key }：对应 { $n } 条记录；请给出更多键值字符
msg-nothing-changed = 未做任何改动
msg-void-trail-unreadable = { $path }：无法读取：{ $why }；未做任何改动

msg-rules-no-review = 缺少 [review] 表
msg-rules-no-category = 积分标准没有定义任何 [[category]]
msg-rules-no-item = 积分标准没有定义任何 [[item]]
msg-rules-item-twice = 项目“{ $item }”定义了两次
msg-rules-unknown-category = 项目“{ $item }”：类别“{ $category }”不存在，应为以下之一：{ $expected }
msg-rules-no-points = 项目“{ $item }”需要 points 或 outcomes
msg-rules-unknown-cap-period = 项目“{ $item }”：未知的封顶周期“{ $per }”，应为 cycle、quarter 或 month
msg-rules-bad-number = 应为 -{ $limit } 到 { $limit } 之间的数
msg-rules-alias-twice = 别名“{ $alias }”被两个项目使用：{ $a } 和 { $b }
msg-rules-obligation-unknown-item = 履职要求中的项目“{ $item }”不存在

msg-cannot-write = { $path }：无法写入：{ $why }
why-no-folder = 文件夹不存在
why-part-is-a-file = 路径中有一部分是文件，不是文件夹
why-disk-full = 磁盘空间不足
why-read-only = 磁盘为只读
why-is-a-folder = 是文件夹；请给出文件名
why-file-too-large = 文件超出本系统允许的大小（ulimit -f）
why-quota = 超出磁盘配额
why-pipe-closed = 读取方关闭了管道
and-more = 另有 { $n } 个
and-more-inline = {" "}等 { $n } 个

line-note = 提示：{ $message }

## check

check-count-separator = ；
check-count-delegates = { $n } 位代表
check-count-rows = { $path }：{ $n } 行
check-count-ledger-records = 台账记录 { $n } 条
check-count-published = 已公示期间 { $n } 个
msg-check-ok = 检查通过：{ $counts }
msg-check-found = 检查发现 { $n } 个问题
msg-check-found-stopped = 检查发现 { $n } 个问题；{ $why }
msg-check-stopped-no-roster = 代表名册能够读取后才会检查其他文件
msg-ledger-format-1 = { $path }：以第 1 版台账格式写成（含 key 列）；可以照常读取，`tally import --upgrade-ledger` 会将其改写为当前格式
msg-check-not-in-year = 不在 { $year } 年内，而本文件是该年度的台账
msg-check-not-in-order = { $path }:{ $line }：没有按日期排序（被手工改过？）；报表仍会排序
msg-check-not-in-roster = 不在代表名册中
msg-check-unknown-item = 不是积分标准中的项目代码
msg-check-same-record-twice = 同一条记录出现两次（首次在第 { $first } 行）
msg-check-ledger-is-a-file = 是文件，不是文件夹：台账是存放 <年份>.csv 文件的文件夹（见 tally.toml 中的 `ledger`）
msg-check-not-a-year-file = 不是台账年度文件（应命名如 2025.csv）；其中的记录不计入任何地方：请将其移出台账文件夹，或导入它
msg-check-unmarked = { $year }：{ $name }（{ $delegate }）没有评议评分，因此没有综合得分和等次

## 社情民意与台账核对

msg-rec-not-in-register = 不在社情民意登记表 { $register } 中
msg-rec-not-agent = { $item } 的代表不是 { $id } 的承办代表：{ $entry } 记载的是 { $delegate }
msg-rec-resolved-twice = { $id } 被两次记为已办结（首次在 { $file }:{ $line }）
msg-rec-unclaimed = { $register }:{ $line }：{ $id } 于 { $day } 办结，但台账中没有记录认领该办结
msg-rec-not-resolved = { $id } 的 { $item }，而 { $entry } 未显示已办结
msg-rec-before-resolved = 早于 { $id } 的办结日期（{ $entry } 记载为 { $day }）
msg-rec-no-satisfaction = { $entry } 没有记载 { $id } 的满意度
msg-rec-satisfaction = { $entry } 记载 { $id } 的满意度为 { $satisfaction }

## 导入与台账

msg-import-check-failed = 检查文件时意外失败
msg-import-refused = 导入被拒绝：发现 { $n } 个问题；台账未添加任何记录
msg-import-id-reused = 此编号已在 { $file }:{ $line } 用于内容不同的记录
msg-import-id-in-ledger = 台账中已有此编号，内容不同（{ $file }:{ $line }）；请在台账中更正，或使用新编号
msg-import-voided-note = （{ $n } 条已作废，不计）
msg-import-file = { $path }：{ $rows } 行，新增 { $added } 条，{ $already } 条已在台账中{ $voided }
msg-import-file-dry = { $path }：{ $rows } 行，将新增 { $added } 条，{ $already } 条已在台账中{ $voided }
msg-import-total = 共新增 { $added } 条，{ $already } 条已在台账中{ $voided }
msg-import-total-dry = 共将新增 { $added } 条，{ $already } 条已在台账中{ $voided }（试运行：台账未改动）
msg-upgrade-nothing = 台账已是当前格式；未做任何改动
msg-upgrade-rewrote = 已改写为当前格式：{ $files }
msg-ledger-folder-is-a-file = { $path }：其上级台账文件夹是文件，不是文件夹
msg-cannot-create = { $path }：无法创建：{ $why }
msg-lock-wait-import = 正在等待导入完成（{ $dir }/.lock）
msg-lock-wait-other = 正在等待另一次导入完成（{ $dir }/.lock）
msg-lock-cannot-open = { $dir }/.lock：无法打开：{ $why }
msg-lock-cannot-lock = { $dir }/.lock：无法加锁：{ $why }
msg-finishing-interrupted = { $path }：正在完成被中断的导入

## 工作簿、写入与选项

msg-sheet-empty = 工作表为空
msg-sheet-empty-others = 工作表为空；其他工作表：{ $others }（用 --sheet 选择）
msg-workbook-password = { $path }：工作簿设有密码保护；请另存一份不设密码的副本再导入
msg-workbook-unreadable = { $path }：不是可读取的工作簿（{ $why }）；请用电子表格软件打开后重新保存
msg-workbook-no-sheets = { $path }：工作簿中没有工作表
msg-workbook-no-such-sheet = { $path }：没有名为 { $sheet } 的工作表；现有工作表：{ $sheets }
why-ends-with-slash = 指向文件夹（以 / 结尾）；请给出文件名
why-too-many-links = 符号链接层数过多
why-folder-missing = 文件夹 { $folder } 不存在
why-no-system-file = 不存在，tally 不会在 /dev、/proc 或 /sys 下创建文件
msg-no-report-options = { $given }：`tally { $command }` 不生成报表；{ $given } 只用于 quarter、annual、report、studios、petitions、explain、obligations、diff-rules 和 rules

## 已公示期间

msg-restatement-line = { $name }（{ $delegate }）：公示为 { $published }，现为 { $now }——{ $why }
why-not-listed = 未列出
why-rules-changed = 积分标准有改动
why-records-voided = 有记录被作废
why-records-added = 公示后新增了记录
why-records-removed = 台账中有记录被删除
why-adjustments-changed = 考评组的积分调整有改动
why-roster-changed = 代表名册有改动
why-marks-changed = 评议评分有改动
why-rank-moved = 其他代表的数据变化使排名变动
why-changed-otherwise = 数据因其他原因变化
msg-not-a-publication = { $path }：不是公示数据记录（{ $why }）；此文件由 `tally publish` 写成
msg-no-longer-reproduces = { $period } 已无法复现：{ $line }
msg-cannot-be-reproduced = { $period } 无法复现：{ $line }
msg-already-published = { $period } 已公示（{ $path }，第 { $version } 版，{ $at }）；如需公示更正后的数据：tally publish { $period } --restate --reason 理由
msg-nothing-to-restate = { $period } 尚未公示，无可更正；请先公示：tally publish { $period }
msg-published = 已公示 { $period }：{ $n } 位代表；{ $files }
msg-restated-as = 已将 { $period } 更正为第 { $version } 版：{ $n } 位代表的数据有变化；{ $files }

## 社情民意

msg-split-by-needs-dir = --split-by 每组写一个文件：请用 -o 目录/ 指定文件夹
msg-no-standards = --fail-on-below-standard：{ $rules } 没有设定 [petitions] 标准（如 standards = {"{"} on_time_rate = 0.9, satisfaction_rate = 0.85, min_items = 3 {"}"}）
msg-no-petitions-register = { $path }：没有社情民意登记表（可用 `tally init` 给出的表头创建）
msg-found-overdue = 截至 { $as_of } 有 { $n } 件超期
msg-found-due-soon = 截至 { $as_of } 有 { $n } 件在 { $within } 内到期（{ $by } 前）
msg-found-below-standard = 截至 { $as_of } 有 { $n } 个承办单位未达标准：{ $departments }
msg-wrote-digests = 已将 { $n } 份按{ $group ->
    [department] 承办单位
    [delegate] 代表
    [studio] 工作室
   *[other] 类别
}分组的摘要（{ $ext }）写入 { $dir }
msg-calendar-uncovered = { $rules }：[calendar] 没有列出 { $year } 年的节假日，因此 { $year } 年的工作日只按周一至周五计算（{ $what }：{ $day }）；请补充 { $year } 年的节假日和调休工作日（见 rules/README.md）

## 其他命令

msg-explain-no-csv = explain 有三张表（记录、调整、合计）：请用 --format table、json、md、html 或 xlsx
msg-lookup-ambiguous = 有两位代表同名；请给出编号
msg-lookup-unknown = 不在代表名册中（请给出编号，或只有一位代表使用的姓名）
msg-lookup-failed = { $path }：{ $why }（{ $delegate }）
msg-report-all-no-delegate = report --all 不接受代表参数：`tally report --all [年度] -o 目录/`
msg-report-all-needs-dir = report --all 为每位代表写一个文件：请用 -o 目录/ 指定文件夹
msg-report-no-csv = 履职报告有多张表：请用 --format html、md、json、table 或 xlsx
msg-not-in-office-in-year = { $name }（{ $delegate }）{ $year } 年不在任
msg-wrote-duty-reports = 已将 { $year } 年度的 { $n } 份履职报告写入 { $dir }
msg-delegate-arg = --delegate { $delegate }：{ $why }
msg-studio-arg = --studio { $studio }：代表名册中没有这个工作室（现有工作室：{ $studios }）
msg-item-arg = --item { $item }：不是积分标准中的项目代码或别名（见 `tally rules`）
msg-from-after-to = --from { $from } 晚于 --to { $to }：没有可列出的日期
msg-template-format = 模板只能是 .xlsx 工作簿或 .csv 表头，不能是 { $format }
msg-wrote = 已写入 { $path }
msg-already-a-workspace = { $path }：已经是工作区（{ $config } 已存在）；未做任何改动
msg-already-exists = { $path }：已存在；未做任何改动
msg-created-workspace = 已创建工作区 { $path }：请编辑 data/delegates.csv，然后用 `tally import` 导入各单位报送的记录（inbox/activities-template.xlsx 是供他们填写的表格）
msg-rules-unknown-late-records = 未知的 late_records“{ $value }”，应为 "warn" 或 "refuse"
msg-rules-unknown-petition-role = 项目“{ $item }”：未知的 petition“{ $value }”，应为 "agent" 或 "resolved"
msg-rules-petition-needs-ref = 项目“{ $item }”：社情民意项目必须设 requires_ref = true
msg-rules-unknown-cycle = 未知的 cycle“{ $value }”，应为 "year"
msg-rules-unknown-rank-within = 未知的 rank_within“{ $value }”，应为 "studio"、"sector" 或 "all"
msg-rules-category-twice = 类别“{ $category }”定义了两次
msg-rules-code-one-word = 项目代码必须是一个词（“{ $item }”）
msg-rules-outcome-points = 项目“{ $item }”：评价 { $outcome } 的分值必须是数字
msg-rules-outcome-alias-unknown = 项目“{ $item }”：评价别名“{ $alias }”指向不存在的评价“{ $outcome }”
msg-rules-points-and-outcomes = 项目“{ $item }”同时有 points 和 outcomes；只能给出一个
msg-rules-cap-negative = 项目“{ $item }”：封顶分不能为负数
msg-rules-unknown-obligation-period = 未知的履职要求周期“{ $value }”，应为 month 或 year
msg-rules-at-least = at_least 必须是大于等于 1 的整数
msg-rules-reply-within-both = reply_within_days 和 reply_within 只能给出一个
msg-rules-reply-within-days = reply_within_days 必须是正整数
msg-rules-reply-within = 无法理解 reply_within“{ $value }”，应写作如 "15 days" 或 "15 working days"
msg-rules-forward-within = forward_within_days 必须是大于等于 0 的整数天数
msg-rules-share = { $name } 必须是 0 到 1 之间的比例（如 0.9）
msg-rules-standards-empty = standards 至少需要 on_time_rate 或 satisfaction_rate 之一
msg-rules-min-items = min_items 必须是正整数
msg-rules-not-a-date = 不是日期（{ $text }）
msg-rules-weights = points_weight + evaluation_weight 必须等于 1，实为 { $found }
msg-rules-unknown-cap-grade = unmet_obligation_caps_grade“{ $grade }”不是已定义的等次
msg-rules-group-weight = 评议组 { $group }：权重必须是大于等于 0 的数
msg-rules-no-groups = 评议组至少要列出一个评议组
msg-rules-group-weights = 各评议组权重之和必须为 1，实为 { $found }
msg-rules-group-alias-unknown = 评议组别名“{ $alias }”指向不存在的评议组“{ $group }”
msg-rules-grade-min = 等次 { $grade }：min 必须是数字
msg-rules-no-grades = 等次至少要列出一档
msg-rules-grades-order = 等次必须按 min 从高到低排列，每档的 min 都低于上一档
progress-checking = 正在检查
msg-temporary-folder = 临时文件夹
