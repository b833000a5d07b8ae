from fontTools.ttLib import TTCollection
from fontTools import subset
coll = TTCollection('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')
font = next(f for f in coll.fonts if 'Noto Sans CJK SC' in f['name'].getDebugName(1))
chars = set(range(0x20, 0x7f)) | set(range(0xa0, 0x100)) | set(range(0x2000, 0x2070)) | set(range(0x2190, 0x21ff)) | set(range(0x2460, 0x24ff)) | set(range(0x25a0, 0x2600)) | set(range(0x3000, 0x3040)) | set(range(0xff00, 0xffef)) | {0x00b7, 0x00d7, 0x2103, 0x33a1, 0x2116}
for hi in range(0xb0, 0xf8):
    for lo in range(0xa1, 0xff):
        try:
            chars.add(ord(bytes([hi, lo]).decode('gb2312')))
        except UnicodeDecodeError:
            pass
# a few common traditional/rare name chars and units
chars |= {ord(c) for c in '㎡喆昇珺玥瑄琇琛堃淼焱鑫垚犇骉晔昊旻晟煜炜玮璐婧婕妍娅姝'}
opts = subset.Options()
opts.layout_features = ['*']
opts.name_IDs = ['*']
opts.name_languages = ['*']
opts.notdef_outline = True
opts.hinting = False
opts.desubroutinize = False
s = subset.Subsetter(opts)
s.populate(unicodes=chars)
s.subset(font)
font.save('assets/fonts/NotoSansSC-Subset.otf')
print(len(chars))
