# mnn_embed_text(TARGET SYMBOL FILE): compiles FILE's text into TARGET as
# `const char SYMBOL[]`, so schemas ship inside the binary and are found anywhere.
function(mnn_embed_text target symbol file)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embed_${symbol}.c)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/MnnEmbedRun.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/MnnEmbedRun.cmake
    COMMENT "Embedding ${file}")
  target_sources(${target} PRIVATE ${out})
endfunction()
