"""aksnet/emulator/identity"""
