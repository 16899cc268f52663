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

test-problems = { $n } 个问题
