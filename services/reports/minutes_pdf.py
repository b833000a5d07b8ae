"""The weekly minutes as a PDF, in the order of the manual's form (附2): header, the nine items, tasks, signatures."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from .minutes import MinutesView
from .pdf import sections_pdf
from .tables import Section, Table, fill

STATUS = {'draft': '草稿', 'signing': '会签中', 'filed': '已会签上报'}


def minutes_pdf(view: MinutesView) -> bytes:
    m, zone = view.minutes, ZoneInfo(view.site.timezone)
    names = view.names
    cover = [
        ('会议时间', m.held_at.astimezone(zone).strftime('%Y-%m-%d %H:%M')),
        ('会议地点', m.place),
        ('主持人', m.chair),
        ('记录人', names.get(m.minute_taker_id or 0, '')),
        ('出席人员', '、'.join(names.get(i, '') for i in m.attendee_ids)),
        ('缺席人员', m.absentees or '无'),
        ('列席人员', m.others or '无'),
        ('状态', STATUS.get(m.status, m.status)),
    ]
    sections = []
    for n, item in enumerate(m.items, start=1):
        text = '\n'.join(f'· {line}' for line in item.get('data', []))
        if item.get('notes'):
            text += ('\n' if text else '') + '会议意见：' + str(item['notes'])
        sections.append(Section(f'item{n}', f'{n}. {item["title"]}', text=text))
    actions = [
        [a.text, names.get(a.owner_id, ''), a.due_on.isoformat(), '已完成' if a.done_at else '未完成']
        for a in view.actions
    ]
    signed = [
        [names.get(i, ''), view.signed[i].astimezone(zone).strftime('%m-%d %H:%M') if i in view.signed else '未签']
        for i in m.attendee_ids
    ]
    sections.append(
        Section('actions', '会议确定事项', [Table('事项', ['事项', '负责人', '完成期限', '状态'], actions, '')])
    )
    sections.append(Section('signatures', '与会人员会签', [Table('会签', ['姓名', '签字时间'], signed, '')]))
    week = m.week_start.strftime('%Y-%m-%d')
    return sections_pdf(fill('{site} 周例会纪要（{week} 起一周）', site=view.site.name, week=week), cover, sections)
