# macOS: Ponder.app (with the .gguf document type in its Info.plist) in a DragNDrop .dmg:
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=$(brew --prefix qt) -DPONDER_WITH_CUDA=OFF
#   cmake --build build && cpack --config build/CPackConfig.cmake -G DragNDrop
# macdeployqt puts Qt's frameworks, plugins and the QML modules into the bundle at install time.
# Not built or checked here (no macOS machine): see packaging/macos/README.md for what is untested.
if(NOT TARGET ponder)
  return()
endif()

set(PONDER_BUNDLE_VERSION ${PROJECT_VERSION})
set_target_properties(ponder PROPERTIES
  MACOSX_BUNDLE ON
  OUTPUT_NAME Ponder
  MACOSX_BUNDLE_INFO_PLIST ${CMAKE_CURRENT_SOURCE_DIR}/macos/Info.plist.in
  MACOSX_BUNDLE_GUI_IDENTIFIER io.github.ponder.Ponder
  MACOSX_BUNDLE_BUNDLE_NAME Ponder
  MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
  MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
  MACOSX_BUNDLE_ICON_FILE Ponder.icns)
# The icon: Ponder.icns is made from the SVG with iconutil on a Mac (packaging/macos/README.md).
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/macos/Ponder.icns)
  target_sources(ponder PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/macos/Ponder.icns)
  set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/macos/Ponder.icns PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
endif()

find_program(PONDER_MACDEPLOYQT macdeployqt HINTS "${Qt6_DIR}/../../../bin")
if(PONDER_MACDEPLOYQT)
  install(CODE "
    execute_process(COMMAND \"${PONDER_MACDEPLOYQT}\" \"\${CMAKE_INSTALL_PREFIX}/Ponder.app\"
                            -qmldir=${PROJECT_SOURCE_DIR}/app/qml -always-overwrite
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR \"macdeployqt failed (\${rc})\")
    endif()")
endif()
# ponder-cli goes inside the bundle, next to the app's executable, so the .dmg holds one item.
install(TARGETS ponder-cli RUNTIME DESTINATION Ponder.app/Contents/MacOS)

set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "Ponder ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT "UDZO")
