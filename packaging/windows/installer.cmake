# Windows installer (CPack NSIS), for a build on Windows with Qt for Windows (MSVC or MinGW kit):
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=C:/Qt/6.x/msvc2019_64   (see packaging/windows/README.md)
#   cmake --build build --config Release && cpack --config build/CPackConfig.cmake -G NSIS
# windeployqt copies Qt's DLLs, plugins and the QML modules the UI imports next to ponder.exe at
# install time; the installer registers .gguf ("Open with Ponder") and a Start-menu entry.
# Not built or run on Linux: the mingw-w64 cross-build there covers the engine and ponder-cli only.
if(NOT TARGET ponder)
  return()
endif()

set_target_properties(ponder PROPERTIES WIN32_EXECUTABLE ON)   # a GUI app: no console window
find_program(PONDER_WINDEPLOYQT windeployqt HINTS "${Qt6_DIR}/../../../bin" "${QT6_INSTALL_PREFIX}/bin")
if(PONDER_WINDEPLOYQT)
  install(CODE "
    execute_process(COMMAND \"${PONDER_WINDEPLOYQT}\" --release --no-translations --no-system-d3d-compiler
                            --no-opengl-sw --qmldir \"${PROJECT_SOURCE_DIR}/app/qml\"
                            \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/ponder.exe\"
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR \"windeployqt failed (\${rc})\")
    endif()")
else()
  message(WARNING "windeployqt not found: the installer would lack Qt's DLLs")
endif()
# The compiler's runtime (MSVC redistributable DLLs or MinGW's libstdc++/libgcc/winpthread).
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION ${CMAKE_INSTALL_BINDIR})
include(InstallRequiredSystemLibraries)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION . RENAME LICENSE.txt)

set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Ponder")
set(CPACK_PACKAGE_EXECUTABLES "ponder;Ponder")               # Start-menu shortcut
set(CPACK_NSIS_DISPLAY_NAME "Ponder")
set(CPACK_NSIS_PACKAGE_NAME "Ponder ${PROJECT_VERSION}")
set(CPACK_NSIS_INSTALLED_ICON_NAME "${CMAKE_INSTALL_BINDIR}\\\\ponder.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY ${CMAKE_INSTALL_BINDIR})
# .gguf -> Ponder.Model ProgID -> "ponder.exe" "%1"; a launch while Ponder runs hands the file to
# its window (app/src/app/single_instance.h). Removed again on uninstall; Explorer is told.
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "
  WriteRegStr HKCR '.gguf' '' 'Ponder.Model'
  WriteRegStr HKCR '.gguf' 'Content Type' 'application/x-gguf'
  WriteRegStr HKCR 'Ponder.Model' '' 'GGUF model'
  WriteRegStr HKCR 'Ponder.Model\\\\DefaultIcon' '' '$INSTDIR\\\\${CMAKE_INSTALL_BINDIR}\\\\ponder.exe,0'
  WriteRegStr HKCR 'Ponder.Model\\\\shell\\\\open\\\\command' '' '\\\"$INSTDIR\\\\${CMAKE_INSTALL_BINDIR}\\\\ponder.exe\\\" \\\"%1\\\"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "
  ReadRegStr \\\$0 HKCR '.gguf' ''
  StrCmp \\\$0 'Ponder.Model' 0 +2
  DeleteRegKey HKCR '.gguf'
  DeleteRegKey HKCR 'Ponder.Model'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
")
