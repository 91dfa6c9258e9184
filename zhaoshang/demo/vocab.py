"""Word lists the synthetic data generator draws from: names, places, industries, products, reasons.

Kept apart from the generator so the generator reads as logic. Everything here is plain data; the
lists are ordered, so a seeded `random.Random` picks the same items on every run.
"""

from __future__ import annotations

from zhaoshang.ledger.choices import Section

# ---- people -------------------------------------------------------------------------------------------------

# Common surnames, most frequent first and repeated roughly by frequency so draws look like a real roster.
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
    "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国文辉力斌志宏鹏飞斌波海燕晨阳雪梅"
    "春林金龙凯峰浩宇新华俊亮东晓丹婷颖琳鑫欣佳瑞博文涛立群永胜振兴德利荣健红卫光明爱民学成庆宁"
    "子涵思远一鸣雨轩梓萱浩然嘉怡宏伟少华国强海涛建华玉梅志刚晓东丽娟"
)

# ---- places ---------------------------------------------------------------------------------------------------

# Two-character stems for synthetic place names (县, 区, 镇, 园区…). Invented combinations, not a real atlas.
PLACE_STEMS = [
    "青山", "东湖", "南岭", "西河", "北塬", "金水", "长乐", "永安", "丰泽", "清源", "龙泉", "凤台", "白沙", "石桥",
    "桃园", "柳林", "杏坛", "梅溪", "松岗", "槐荫", "榆林", "枫桥", "兰亭", "竹溪", "荷塘", "新安", "平川", "宁远",
    "广济", "安阳", "德兴", "福田", "禄泉", "寿春", "康乐", "吉祥", "瑞丰", "兴隆", "华阳", "光明", "育才", "崇文",
    "尚武", "明德", "致远", "同心", "和平", "太平", "富民", "惠民", "利民", "仁和", "义乌", "礼泉", "智峰", "信安",
    "孝感", "忠义", "双桥", "三河", "四平", "五里", "六合", "七星", "八里", "九龙", "十里", "百泉", "千佛", "万福",
    "红旗", "黄岗", "蓝田", "绿洲", "紫荆", "银杏", "玉泉", "珠玑", "宝丰", "鼎湖", "云台", "雾峰", "雷山", "霞浦",
]
TOWNSHIP_SUFFIXES = ["镇", "镇", "乡", "街道"]
DEV_ZONE_SUFFIXES = ["经济技术开发区", "高新技术产业开发区", "产业集聚区", "临空经济区", "综合保税区"]
PLATFORM_SUFFIXES = ["产业园", "科技园", "物流园", "智能制造产业园", "文旅康养园", "数字经济产业园"]
DEPARTMENTS = [
    "市发展和改革委员会", "市工业和信息化局", "市商务局", "市科学技术局", "市自然资源和规划局", "市财政局",
    "市文化广电和旅游局", "市农业农村局", "市交通运输局", "市住房和城乡建设局", "市卫生健康委员会",
    "市市场监督管理局", "市生态环境局", "市人力资源和社会保障局", "市投资促进局", "市外事办公室",
    "市国有资产监督管理委员会", "市地方金融监督管理局", "市供销合作社", "市工商业联合会",
]

# Resident offices (驻点招商局): the city they sit in, a code stem, the provinces they cover. The first four are
# the Bole offices; the demo city overrides their regions with the seed document's wording.
RESIDENT_CITIES = [
    ("北京", "BJ", "北京、天津、河北、山西"),
    ("武汉", "WH", "湖北、湖南、四川、重庆"),
    ("杭州", "HZ", "浙江、江苏、安徽、上海"),
    ("深圳", "SZ", "广东、福建、广西、海南"),
    ("上海", "SH", "上海、江苏"),
    ("广州", "GZ", "广东、广西"),
    ("成都", "CD", "四川、重庆、云南、贵州"),
    ("西安", "XA", "陕西、甘肃、宁夏、青海"),
    ("南京", "NJ", "江苏、安徽"),
    ("天津", "TJ", "天津、河北"),
    ("青岛", "QD", "山东"),
    ("厦门", "XM", "福建、江西"),
    ("长沙", "CS", "湖南、江西"),
    ("苏州", "SU", "江苏、上海"),
    ("宁波", "NB", "浙江"),
    ("香港", "HK", "香港、澳门"),
]

# Investor origins with a 6-digit administrative division code (the 3rd–8th characters of a USCC).
ORIGINS = [
    ("北京", "110108"), ("上海", "310115"), ("深圳", "440300"), ("广州", "440106"), ("杭州", "330106"),
    ("苏州", "320505"), ("南京", "320104"), ("武汉", "420111"), ("成都", "510107"), ("重庆", "500112"),
    ("西安", "610113"), ("天津", "120116"), ("宁波", "330212"), ("青岛", "370212"), ("厦门", "350203"),
    ("合肥", "340104"), ("长沙", "430104"), ("郑州", "410105"), ("济南", "370102"), ("东莞", "441900"),
    ("佛山", "440604"), ("无锡", "320214"), ("常州", "320411"), ("温州", "330302"), ("泉州", "350503"),
    ("绍兴", "330602"), ("潍坊", "370705"), ("洛阳", "410305"), ("乌鲁木齐", "650102"), ("本地", "410100"),
]
ORIGIN_CODE = dict(ORIGINS)
# The generated city is registered under 郑州 (4101, the demo's ZHAOSHANG_CITY_DIVISIONS): a project that
# reaches 注册落地 has a company registered with one of these authorities (GB/T 2260), by where it lands.
LOCAL_CITY = "郑州"
LOCAL_PREFIX = "4101"
LOCAL_DIVISIONS = {
    "中原区": "410102", "二七区": "410103", "管城回族区": "410104", "金水区": "410105", "上街区": "410106",
    "惠济区": "410108", "中牟县": "410122", "巩义市": "410181", "荥阳市": "410182", "新密市": "410183",
    "新郑市": "410184", "登封市": "410185", "高新技术产业开发区": "410172", "经济技术开发区": "410173",
}
# Units that are not a registration area (resident offices, task forces, invented places): the city's own
# authority or one of the districts, in turn.
OTHER_DIVISIONS = ("410100", "410105", "410122", "410184", "410173", "410102")


def local_division(unit_name: str, parent_name: str, index: int) -> str:
    """The division code of the authority that registers a project of this unit."""
    return LOCAL_DIVISIONS.get(unit_name) or LOCAL_DIVISIONS.get(parent_name) or OTHER_DIVISIONS[
        index % len(OTHER_DIVISIONS)]


def is_local(division: str) -> bool:
    return division.startswith(LOCAL_PREFIX)
# Foreign-funded investors: origin and the region code used for their Chinese subsidiary.
FOREIGN_ORIGINS = [
    ("香港", "440300"), ("新加坡", "310115"), ("日本", "320505"), ("韩国", "370212"), ("德国", "310115"),
    ("美国", "440300"), ("台湾", "350203"), ("澳门", "440400"),
]
# Provinces a resident office covers map to origins its investors come from.
PROVINCE_ORIGINS = {
    "北京": ["北京"], "天津": ["天津"], "河北": ["北京", "天津"], "山西": ["北京"], "湖北": ["武汉"],
    "湖南": ["长沙"], "四川": ["成都"], "重庆": ["重庆"], "浙江": ["杭州", "宁波", "温州", "绍兴"],
    "江苏": ["南京", "苏州", "无锡", "常州"], "安徽": ["合肥"], "上海": ["上海"], "山东": ["青岛", "济南", "潍坊"],
    "广东": ["深圳", "广州", "东莞", "佛山"], "福建": ["厦门", "泉州"], "广西": ["深圳"], "海南": ["深圳"],
    "陕西": ["西安"], "云南": ["成都"], "贵州": ["成都"], "甘肃": ["西安"], "宁夏": ["西安"], "青海": ["西安"],
    "江西": ["厦门"], "河南": ["郑州", "洛阳"], "香港": ["深圳"], "澳门": ["深圳"],
}

# ---- industries -----------------------------------------------------------------------------------------------

# industry → (行业门类, {chain: [(product, measure)]}): the GB/T 4754-2017 section of most of the industry's
# projects (PRODUCT_SECTIONS names the exceptions); measure is for "年产N万<measure>…" names.
INDUSTRIES: dict[str, tuple[str, dict[str, list[tuple[str, str]]]]] = {
    "新能源": (Section.C, {
        "新能源汽车": [("新能源汽车零部件", "套"), ("动力电池", "组"), ("电驱动系统", "套"), ("充电桩", "台")],
        "光伏": [("光伏组件", "片"), ("高效电池片", "片"), ("分布式光伏电站", "千瓦")],
        "储能": [("储能电池", "组"), ("储能电站", "千瓦时"), ("氢能装备", "台")],
    }),
    "装备制造": (Section.C, {
        "智能装备": [("工业机器人", "台"), ("数控机床", "台"), ("智能输送设备", "套")],
        "农机装备": [("农业机械", "台"), ("智能灌溉设备", "套")],
        "汽车及零部件": [("汽车零部件", "件"), ("汽车内饰", "套")],
    }),
    "电子信息": (Section.C, {
        "新型显示": [("液晶显示模组", "片"), ("LED显示屏", "平方米")],
        "半导体": [("功率半导体", "片"), ("芯片封装测试", "颗")],
        "智能终端": [("智能终端", "台"), ("小家电", "台"), ("LED灯具", "套")],
    }),
    "生物医药": (Section.C, {
        "创新药": [("生物制药", "支"), ("中药饮片", "吨")],
        "医疗器械": [("医疗器械", "台"), ("医用耗材", "件")],
    }),
    "新材料": (Section.C, {
        "钙基新材料": [("碳酸钙", "吨"), ("钙基新材料", "吨")],
        "铝基新材料": [("铝型材", "吨"), ("铝箔", "吨")],
        "高分子材料": [("高分子复合材料", "吨"), ("改性塑料", "吨")],
        "绿色建材": [("装配式建筑构件", "立方米"), ("绿色建材", "吨"), ("石材加工", "平方米")],
    }),
    "纺织服装": (Section.C, {
        "纺织服装": [("棉纺纱线", "锭"), ("服装", "件"), ("家纺", "套"), ("休闲运动服饰", "件")],
    }),
    "食品加工": (Section.C, {
        "预制菜": [("预制菜", "吨"), ("冷冻食品", "吨")],
        "粮油加工": [("粮油加工", "吨"), ("农副产品精深加工", "吨")],
    }),
    "现代物流": (Section.G, {
        "冷链物流": [("冷链物流", "吨"), ("冷库仓储", "吨")],
        "仓储物流": [("智慧物流园", "平方米"), ("多式联运枢纽", "标箱")],
    }),
    "数字经济": (Section.I, {
        "数据中心": [("数据中心", "机架"), ("算力中心", "机架")],
        "软件和信息服务": [("软件研发中心", "平方米"), ("总部经济", "平方米")],
    }),
    "文旅": (Section.R, {
        "文化旅游": [("文旅综合体", "平方米"), ("康养度假区", "平方米"), ("特色街区", "平方米")],
    }),
    "现代农业": (Section.A, {
        "设施农业": [("高标准设施农业", "亩"), ("智慧农业示范园", "亩")],
        "畜牧养殖": [("生猪养殖", "头"), ("奶牛养殖", "头")],
    }),
}
# Products whose projects are not of their industry's section: power stations supply electricity (D), a
# headquarters building is business services (L), a commercial street is real-estate development (K).
PRODUCT_SECTIONS = {"分布式光伏电站": Section.D, "储能电站": Section.D, "总部经济": Section.L, "特色街区": Section.K}


def section_of(industry: str, product: str = "") -> str:
    """The 行业门类 of a project of `industry` making `product`."""
    return PRODUCT_SECTIONS.get(product, INDUSTRIES[industry][0])


# How often each industry appears (manufacturing dominates a manufacturing-promotion ledger).
INDUSTRY_WEIGHTS = {
    "新能源": 14, "装备制造": 16, "电子信息": 12, "生物医药": 8, "新材料": 12, "纺织服装": 7, "食品加工": 9,
    "现代物流": 8, "数字经济": 6, "文旅": 5, "现代农业": 3,
}
INDUSTRY_WORDS = {
    "新能源": ["新能源科技", "能源科技", "电池科技", "光电科技"],
    "装备制造": ["智能装备", "机械制造", "精密机械", "重工"],
    "电子信息": ["电子科技", "光电科技", "半导体", "智能科技"],
    "生物医药": ["生物科技", "医药", "医疗科技", "药业"],
    "新材料": ["新材料", "材料科技", "建材", "化工科技"],
    "纺织服装": ["纺织", "服饰", "实业"],
    "食品加工": ["食品", "农业科技", "粮油", "供应链"],
    "现代物流": ["物流", "供应链管理", "国际货运"],
    "数字经济": ["数字科技", "信息技术", "网络科技", "数据科技"],
    "文旅": ["文化旅游发展", "文旅投资", "康养产业"],
    "现代农业": ["农业发展", "生态农业", "牧业"],
}
BRAND_CHARS = "华瑞鑫博恒泰德中新天金宏盛远达通科源创维嘉诚信安康隆昌荣兴丰茂汇聚海阳光明正元亿万宝华凯越腾飞卓越"
COMPANY_SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]
PROJECT_TEMPLATES = [
    "{brand}{product}项目", "年产{qty}万{measure}{product}项目", "{brand}{product}生产基地项目",
    "{product}产业园项目", "{brand}{product}扩能项目", "{brand}{product}智能制造项目",
]

# ---- statuses and events --------------------------------------------------------------------------------------

REASONS = {
    "stalled": [
        "资金链紧张，暂缓建设", "土地指标未落实，等待用地审批", "环评手续办理中，暂未推进", "企业战略调整，推进放缓",
        "配套电力设施未到位",
    ],
    "terminated": [
        "企业经营困难，双方协商终止合作", "项目不符合产业政策，终止落地", "选址未达成一致，项目终止",
        "投资方主体变更，原协议解除",
    ],
    "lost": [
        "被外地以更优惠政策引走", "企业转投其他地区", "配套条件不满足企业需求，项目流失", "对接跟进不到位，企业另选址",
    ],
}
EVENT_TEMPLATES = {
    "national": [
        "{year}年中国国际投资贸易洽谈会", "{year}年中国产业转移发展对接活动", "第{n}届中国国际进口博览会配套签约活动",
    ],
    "provincial": [
        "{year}年全省重点项目集中签约仪式", "{year}年{industry}产业链招商推介会（省级）", "{year}年省际产业合作对接会",
    ],
    "prefecture": [
        "{year}年{industry}产业链精准招商对接会", "{year}年市重点项目集中签约活动", "{region}投资环境推介会",
    ],
    "county": ["{host}{year}年招商引资项目签约仪式", "{host}{industry}产业专场推介会", "{host}企业家恳谈会"],
}
CITY_LEADERS = ["市委书记", "市长", "常务副市长", "分管副市长", "市委常委、秘书长"]
