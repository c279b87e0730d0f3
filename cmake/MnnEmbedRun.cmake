# Script half of mnn_embed_text: writes IN's bytes as a C array named SYMBOL.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "/* generated from ${IN} */\nconst char ${SYMBOL}[] = {${body} 0x00};\n")
