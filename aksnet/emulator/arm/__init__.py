"""aksnet/emulator/arm"""
