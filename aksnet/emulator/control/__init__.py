"""aksnet/emulator/control"""
